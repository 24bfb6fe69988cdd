import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManifestStore } from '@cur/lake';

/** The rows of the seeded customer_tags partition: three tags of two customers, one in Chinese. */
export const SEEDED_TAG_ROWS = [
  { cust_id: 'A123456789', tag: 'high_value' },
  { cust_id: 'A123456789', tag: 'digital_native' },
  { cust_id: 'B223456789', tag: '旅遊達人' },
] as const;

/**
 * Publishes a customer_tags partition into a state folder's lake as the pipeline does: a ZSTD Parquet file written by
 * DuckDB, put into the consumption bucket, and its manifest (with the file's hash) in the system bucket.
 */
export async function seedCustomerTags(home: string, businessDate: string): Promise<void> {
  // Loaded lazily, as the wiring loads the local adapters.
  const { DuckDbSqlEngine, FsBlobStore } = await import('@cur/adapters-local');
  const scratch = await mkdtemp(join(tmpdir(), 'cur-seed-'));
  const engine = await DuckDbSqlEngine.open();
  try {
    const values = SEEDED_TAG_ROWS.map((row) => `('${row.cust_id}', '${row.tag}', DATE '${businessDate}')`).join(', ');
    const file = join(scratch, 'tags.parquet');
    const rowCount = await engine.writeParquet(`SELECT * FROM (VALUES ${values}) AS t(cust_id, tag, business_date)`, file);
    const bytes = await readFile(file);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const key = `customer_tags/business_date=${businessDate}/part-${sha256.slice(0, 16)}.parquet`;
    await new FsBlobStore(join(home, 'lake'), 'consumption').put(key, bytes);
    await new ManifestStore(new FsBlobStore(join(home, 'lake'), 'system')).publish({
      dataset: 'customer_tags',
      zone: 'consumption',
      businessDate,
      step: 'consumption',
      runId: 'seed',
      files: [key],
      rowCount,
      contentSha256: sha256,
      schemaSha256: 'seed',
      inputs: [],
      counts: {},
      keyVersions: {},
      startedAt: new Date().toISOString(),
      durationMs: 0,
    });
  } finally {
    await engine.close();
    await rm(scratch, { recursive: true, force: true });
  }
}
