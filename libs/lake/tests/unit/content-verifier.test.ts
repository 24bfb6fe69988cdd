import { createHash } from 'node:crypto';
import { mkdtemp, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsBlobStore } from '@cur/adapters-local';
import { ManifestStore, createContentVerifier, type Manifest } from '../../src/index';

async function publishedLake() {
  const lake = await mkdtemp(join(tmpdir(), 'cur-verify-'));
  const consumption = new FsBlobStore(lake, 'consumption');
  const key = 'customer_tags/business_date=2026-11-25/part-1.parquet';
  const bytes = Buffer.from('published bytes');
  await consumption.put(key, bytes);
  const manifest: Manifest = {
    dataset: 'customer_tags', zone: 'consumption', businessDate: '2026-11-25', step: 'consumption', runId: 'r1', files: [key], rowCount: 1,
    contentSha256: createHash('sha256').update(bytes).digest('hex'), schemaSha256: '', inputs: [], counts: {}, keyVersions: {}, startedAt: '2026-11-26T00:00:00Z', durationMs: 1,
  };
  const system = new FsBlobStore(lake, 'system');
  await new ManifestStore(system).publish(manifest);
  const verified = new ManifestStore(system, { verify: createContentVerifier(() => consumption) });
  return { lake, key, verified };
}

describe('createContentVerifier', () => {
  it('hands out a manifest whose files still hold the published bytes', async () => {
    const { verified } = await publishedLake();
    expect((await verified.get('consumption', 'customer_tags', '2026-11-25'))?.rowCount).toBe(1);
    expect(await verified.list('consumption', 'customer_tags')).toHaveLength(1);
  });

  it('refuses a file overwritten after publication, even one read before', async () => {
    const { lake, key, verified } = await publishedLake();
    await verified.get('consumption', 'customer_tags', '2026-11-25');
    const file = join(lake, 'consumption', ...key.split('/'));
    await writeFile(file, 'tampered bytes!');
    await utimes(file, new Date(), new Date(Date.now() + 5000));
    await expect(verified.list('consumption', 'customer_tags')).rejects.toMatchObject({ code: 'CONTENT_MISMATCH', message: expect.stringContaining('consumption.customer_tags for 2026-11-25') });
  });

  it('refuses a manifest whose file is gone', async () => {
    const { lake, key, verified } = await publishedLake();
    await new FsBlobStore(lake, 'consumption').delete(key);
    await expect(verified.get('consumption', 'customer_tags', '2026-11-25')).rejects.toMatchObject({ code: 'CONTENT_MISMATCH', message: expect.stringContaining('is missing') });
  });
});
