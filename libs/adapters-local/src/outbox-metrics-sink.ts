import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmfDocument, MetricsSink } from '@cur/platform';
import { PRIVATE_FILE_MODE, makePrivateDir } from './private-files';

/**
 * A {@link MetricsSink} that appends each EMF document as one JSON line to `<dir>/metrics.jsonl`, the local stand-in
 * for CloudWatch Metrics (which reads the same documents from stdout in AWS). Owner-only, as the rest of the outbox.
 */
export class OutboxMetricsSink implements MetricsSink {
  readonly #dir: string;

  /** @param dir - the outbox folder, e.g. `.cur/outbox` */
  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The file the documents go to. */
  get file(): string {
    return join(this.#dir, 'metrics.jsonl');
  }

  async publish(document: EmfDocument): Promise<void> {
    await makePrivateDir(this.#dir);
    // One appendFile call per line: O_APPEND keeps concurrent writers' lines whole.
    await appendFile(this.file, `${JSON.stringify(document)}\n`, { mode: PRIVATE_FILE_MODE });
  }

  /** Every document published so far, oldest first (none when the file does not exist yet). */
  async read(): Promise<EmfDocument[]> {
    const text = await readFile(this.file, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? '' : Promise.reject(error)));
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as EmfDocument);
  }
}
