import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsBlobStore } from '@cur/adapters-local';
import { ManifestStore, manifestKey, type Manifest } from '../../src/index';

const manifest = (businessDate: string): Manifest => ({
  dataset: 'customer_features',
  zone: 'consumption',
  businessDate,
  step: 'consumption',
  runId: 'r1',
  files: [`customer_features/business_date=${businessDate}/part-abc.parquet`],
  rowCount: 10,
  contentSha256: 'a'.repeat(64),
  schemaSha256: 'b'.repeat(64),
  inputs: [],
  counts: {},
  keyVersions: { cust_id: 1 },
  startedAt: '2026-11-26T00:00:00Z',
  durationMs: 5,
});

describe('ManifestStore', () => {
  it('publishes manifests where readers find them, by date or by key, oldest first', async () => {
    const store = new ManifestStore(new FsBlobStore(await mkdtemp(join(tmpdir(), 'cur-lake-')), 'system'));
    await store.publish(manifest('2026-11-26'));
    await store.publish(manifest('2026-11-25'));
    expect((await store.list('consumption', 'customer_features')).map((m) => m.businessDate)).toEqual(['2026-11-25', '2026-11-26']);
    expect((await store.read(manifestKey('consumption', 'customer_features', '2026-11-25')))?.keyVersions).toEqual({ cust_id: 1 });
    expect(await store.get('consumption', 'customer_features', '2026-11-27')).toBeUndefined();
  });

  it('reads only the business dates a reader asks for: a range, the latest, or whether one exists', async () => {
    const store = new ManifestStore(new FsBlobStore(await mkdtemp(join(tmpdir(), 'cur-lake-')), 'system'));
    for (const date of ['2026-10-31', '2026-11-24', '2026-11-25', '2026-12-01']) await store.publish(manifest(date));
    expect((await store.list('consumption', 'customer_features', { from: '2026-11-01', to: '2026-11-30' })).map((m) => m.businessDate)).toEqual(['2026-11-24', '2026-11-25']);
    expect((await store.latest('consumption', 'customer_features'))?.businessDate).toBe('2026-12-01');
    expect((await store.latest('consumption', 'customer_features', { to: '2026-11-30' }))?.businessDate).toBe('2026-11-25');
    expect(await store.latest('consumption', 'customer_tags')).toBeUndefined();
    expect(await store.has('consumption', 'customer_features', '2026-11-24')).toBe(true);
    expect(await store.has('consumption', 'customer_features', '2026-11-23')).toBe(false);
  });
});
