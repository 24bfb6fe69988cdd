import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPlatformConfig } from '@cur/platform';
import { createRuntime, type Runtime } from '@cur/runtime';
import { BatchLedger } from '../../src/index';

let runtime: Runtime;
let ledger: BatchLedger;

beforeEach(async () => {
  runtime = await createRuntime(loadPlatformConfig({ CUR_HOME: await mkdtemp(join(tmpdir(), 'cur-retire-')) }));
  ledger = new BatchLedger(runtime.keyValueStore);
});
afterEach(() => runtime.close());

const BATCH = { batchId: 'customer_profile/2026-11-25', dataset: 'customer_profile', businessDate: '2026-11-25', rowCount: 3, acceptedAt: '2026-11-25T01:00:00.000Z', dataKey: 'd', controlKey: 'c' };

describe('Method: BatchLedger.retire (issue 17, point 5)', () => {
  it('lets exactly one of three concurrent corrected batches replace a retired one; the old content is a conflict before', async () => {
    // Prepare
    await ledger.claim({ ...BATCH, sha256: 'old' });
    await ledger.setStatus(BATCH.batchId, 'ACCEPTED', 'PUBLISHED');
    expect((await ledger.claim({ ...BATCH, sha256: 'new-1' })).kind).toBe('conflict');

    // Act
    const before = await ledger.retire(BATCH.batchId, 'corrected-extract', '2026-11-26T00:00:00.000Z', 'a1');
    const claims = await Promise.all(['new-1', 'new-2', 'new-3'].map((sha256) => ledger.claim({ ...BATCH, sha256 })));

    // Assess
    expect(before.status).toBe('PUBLISHED');
    expect(claims.filter((claim) => claim.kind === 'claimed')).toHaveLength(1);
    expect(claims.filter((claim) => claim.kind === 'conflict')).toHaveLength(2);
    expect(await ledger.get(BATCH.batchId)).toMatchObject({ status: 'ACCEPTED', attempts: 2 });
    const [row] = await ledger.list();
    expect(row?.attempts).toEqual([expect.objectContaining({ outcome: 'retired', reasonCode: 'corrected-extract' })]);
  });

  it('refuses a batch still waiting to be masked, one already retired, and one never accepted, with codes', async () => {
    await expect(ledger.retire(BATCH.batchId, 'test-data', '2026-11-26T00:00:00.000Z', 'a1')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await ledger.claim({ ...BATCH, sha256: 'old' });
    await expect(ledger.retire(BATCH.batchId, 'test-data', '2026-11-26T00:00:00.000Z', 'a2')).rejects.toMatchObject({ code: 'BATCH_NOT_SETTLED', message: expect.stringContaining('run cur run first') });
    await ledger.setStatus(BATCH.batchId, 'ACCEPTED', 'FAILED');
    await ledger.retire(BATCH.batchId, 'test-data', '2026-11-26T00:00:00.000Z', 'a3');
    await expect(ledger.retire(BATCH.batchId, 'test-data', '2026-11-26T00:00:01.000Z', 'a4')).rejects.toMatchObject({ code: 'BATCH_NOT_SETTLED', message: expect.stringContaining('already retired') });
  });
});
