import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { BlobStore } from '@cur/platform';
import { assertSafeBlobKey } from '@cur/platform';

/** The zone buckets the serving load reads. */
export type ServingSourceBucket = 'consumption' | 'mart';

/**
 * The serving load's `locate` in Lambda: DuckDB reads local files, so each published file the load names is copied
 * from its bucket into a scratch folder first (streamed, once per key) and its path handed back. The manifests'
 * content hashes are checked separately (`createContentVerifier`) before the load reads any file.
 *
 * @example
 * const files = new StagedLakeFiles('/tmp/serving-load/files', (bucket) => blobs.get(bucket));
 * await loadServingStore({ ..., locate: (bucket, key) => files.locate(bucket, key) });
 * await files.clear();
 */
export class StagedLakeFiles {
  readonly #dir: string;
  readonly #storeOf: (bucket: ServingSourceBucket) => BlobStore;
  readonly #staged = new Map<string, Promise<string>>();

  constructor(dir: string, storeOf: (bucket: ServingSourceBucket) => BlobStore) {
    this.#dir = dir;
    this.#storeOf = storeOf;
  }

  /** The local path of a bucket's object, copied there on the first call for it. */
  locate(bucket: ServingSourceBucket, key: string): Promise<string> {
    assertSafeBlobKey(key);
    const id = `${bucket}/${key}`;
    let staged = this.#staged.get(id);
    if (staged === undefined) {
      staged = this.#copy(bucket, key);
      this.#staged.set(id, staged);
    }
    return staged;
  }

  /** Deletes every copied file, so the next invocation of a warm container starts with an empty folder. */
  async clear(): Promise<void> {
    this.#staged.clear();
    await rm(this.#dir, { recursive: true, force: true });
  }

  async #copy(bucket: ServingSourceBucket, key: string): Promise<string> {
    const path = join(this.#dir, bucket, ...key.split('/'));
    await mkdir(dirname(path), { recursive: true });
    await pipeline(await this.#storeOf(bucket).getStream(key), createWriteStream(path, { mode: 0o600 }));
    return path;
  }
}
