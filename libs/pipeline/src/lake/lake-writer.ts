import { createHash, randomUUID, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobStore, SqlEngine } from '@cur/platform';
import { makeStepScratch } from '../scratch/scratch-folder';

/** What one written output file is. */
export interface WrittenFile {
  readonly key: string;
  readonly rowCount: number;
  readonly sha256: string;
}

/**
 * Writes a query's result as one Parquet file into a zone: the engine writes a temporary file in the run's scratch
 * folder, the blob store puts it atomically under a name derived from its content hash, so a rerun of the same input
 * writes the same key and a half-finished run leaves at most an unreferenced file, never a changed one.
 *
 * @param scratchDir - the run's scratch folder (see `PipelineDependencies.scratchDir`)
 * @param content - also fed the file's bytes: the hash of several files in order, for a manifest that lists them
 */
export async function writeZoneFile(engine: SqlEngine, store: BlobStore, sql: string, keyPrefix: string, scratchDir: string, content?: Hash): Promise<WrittenFile> {
  const dir = await makeStepScratch(scratchDir, 'write-');
  const file = join(dir, `${randomUUID()}.parquet`);
  try {
    const rowCount = await engine.writeParquet(sql, file);
    return await uploadZoneFile(store, file, rowCount, keyPrefix, content);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Puts a written Parquet file into a zone under a name derived from its content hash (see {@link writeZoneFile}).
 *
 * @param file - a local Parquet file, e.g. a plan output's
 * @param rowCount - the rows it holds, as its writer reported them
 * @param content - also fed the file's bytes (see {@link writeZoneFile})
 */
export async function uploadZoneFile(store: BlobStore, file: string, rowCount: number, keyPrefix: string, content?: Hash): Promise<WrittenFile> {
  // Hashed as a stream: a whole file in memory would add a large output's size to the step's peak (issue 18).
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 2 ** 20 })) {
    hash.update(chunk as Buffer);
    content?.update(chunk as Buffer);
  }
  const sha256 = hash.digest('hex');
  const key = `${keyPrefix}part-${sha256.slice(0, 16)}.parquet`;
  await store.put(key, createReadStream(file), { sha256 });
  return { key, rowCount, sha256 };
}

/** The key prefix of a dataset's partition in its zone bucket. */
export function partitionPrefix(dataset: string, businessDate: string): string {
  return `${dataset}/business_date=${businessDate}/`;
}

/** A stable hash of a dataset's column list, recorded in manifests to catch schema drift. */
export function schemaSha256(columns: readonly { name: string; type: string }[]): string {
  return createHash('sha256').update(JSON.stringify(columns.map((column) => [column.name, column.type]))).digest('hex');
}
