import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPlatformConfig } from '@cur/platform';
import { createRuntime, type Runtime } from '@cur/runtime';
import { BatchLedger, pushBatches } from '../../src/index';
import { batchFiles } from '../helpers/landing-batch';

let runtime: Runtime;
let dir: string;
beforeEach(async () => {
  runtime = await createRuntime(loadPlatformConfig({ CUR_HOME: await mkdtemp(join(tmpdir(), 'cur-push-')) }));
  dir = await mkdtemp(join(tmpdir(), 'cur-extracts-'));
});
afterEach(() => runtime.close());

async function write(files: ReturnType<typeof batchFiles>): Promise<void> {
  await writeFile(join(dir, files.dataName), files.data);
  await writeFile(join(dir, files.controlName), files.control);
}

describe('pushBatches', () => {
  it('verifies each batch before sending and uploads data then control; a bad batch is not sent', async () => {
    await write(batchFiles());
    await write(batchFiles({ dataset: 'card_transaction', text: 'txn_id\r\n', rows: [], control: { rowCount: 5 } }));
    const landing = runtime.blobStore('landing');
    const outcomes = await pushBatches(dir, landing);
    expect(outcomes).toEqual([
      expect.objectContaining({ status: 'refused', batchId: 'card_transaction/2026-11-25', reasonCode: 'BAD_HEADER' }),
      expect.objectContaining({ status: 'pushed', batchId: 'customer_profile/2026-11-25', rowCount: 3 }),
    ]);
    expect(await landing.head('incoming/customer_profile/customer_profile_20261125.ctl')).toBeDefined();
    expect(await landing.head('incoming/card_transaction/card_transaction_20261125.ctl')).toBeUndefined();
  });

  it('skips a batch the ledger already holds with the same bytes', async () => {
    const files = batchFiles();
    await write(files);
    const ledger = new BatchLedger(runtime.keyValueStore);
    const { createHash } = await import('node:crypto');
    await ledger.claim({ batchId: 'customer_profile/2026-11-25', dataset: 'customer_profile', businessDate: '2026-11-25', sha256: createHash('sha256').update(files.data).digest('hex'), rowCount: 3, acceptedAt: '2026-11-26T00:00:00Z', dataKey: 'incoming/customer_profile/customer_profile_20261125.csv', controlKey: 'incoming/customer_profile/customer_profile_20261125.ctl' });
    expect(await pushBatches(dir, runtime.blobStore('landing'), { ledger })).toEqual([expect.objectContaining({ status: 'skipped' })]);
  });

  it('refuses a control file whose data file is missing', async () => {
    const files = batchFiles();
    await writeFile(join(dir, files.controlName), files.control);
    expect(await pushBatches(dir, runtime.blobStore('landing'))).toEqual([expect.objectContaining({ status: 'refused', reasonCode: 'MISSING_DATA_FILE' })]);
  });
});
