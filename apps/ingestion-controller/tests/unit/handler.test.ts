import { readFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestionHandler, landingKey } from '@cur/ingestion';
import { createIngestionDependencies } from '../../src/wiring';

const event = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`../events/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
let home: string;
let handle: ReturnType<typeof createIngestionHandler>;
let close: () => Promise<void>;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cur-ingestion-app-'));
  const deps = await createIngestionDependencies({ CUR_HOME: home });
  handle = createIngestionHandler(() => Promise.resolve(deps));
  close = deps.close;
});
afterAll(() => close());

describe('ingestion-controller wiring', () => {
  it('accepts the real S3 notification of a control file and announces the batch as a platform event', async () => {
    const csv = 'cust_id,cust_name,birth_date,gender,mobile,email,address,branch_code,open_date,risk_level,occupation_code\r\nA123456789,王小明,0780512,M,0912345678,,臺北市中正區,001,1050301,3,\r\n';
    const control = { dataset: 'customer_profile', businessDate: '2026-11-25', file: 'customer_profile_20261125.csv', rowCount: 1, sha256: createHash('sha256').update(csv).digest('hex'), encoding: 'utf-8', schemaVersion: 1 };
    const { FsBlobStore } = await import('@cur/adapters-local');
    const landing = new FsBlobStore(join(home, 'lake'), 'landing');
    await landing.put(landingKey('customer_profile_20261125.csv'), csv);
    await landing.put(landingKey('customer_profile_20261125.ctl'), JSON.stringify(control));

    const outcomes = await handle(event('s3-object-created.json'));

    expect(outcomes).toEqual([expect.objectContaining({ outcome: 'accepted' })]);
    const published = (await readFile(join(home, 'outbox', 'events.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(published).toEqual([expect.objectContaining({ 'detail-type': 'Batch Accepted', source: 'cur.platform', detail: expect.objectContaining({ batchId: 'customer_profile/2026-11-25', rowCount: 1 }) })]);
  });

  it('sweeps on the real EventBridge Scheduler event', async () => {
    expect(await handle(event('scheduled-event.json'))).toEqual([expect.objectContaining({ outcome: 'duplicate' })]);
  });

  it('rejects an event of another shape with a validation error', async () => {
    await expect(handle({ hello: 'world' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
