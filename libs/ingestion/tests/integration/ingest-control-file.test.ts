import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatchAccepted } from '@cur/contracts';
import { createLogger, loadPlatformConfig } from '@cur/platform';
import { createRuntime, type Runtime } from '@cur/runtime';
import { BatchLedger, createIngestionHandler, landingKey, objectCreatedEvent, type IngestionDependencies, type IngestionOutcome } from '../../src/index';
import { PROFILE_ROWS, batchFiles } from '../helpers/landing-batch';

let runtime: Runtime;
let accepted: BatchAccepted[];
let deps: IngestionDependencies;

beforeEach(async () => {
  runtime = await createRuntime(loadPlatformConfig({ CUR_HOME: await mkdtemp(join(tmpdir(), 'cur-ingest-')) }));
  accepted = [];
  deps = {
    landing: runtime.blobStore('landing'),
    quarantine: runtime.blobStore('quarantine'),
    ledger: new BatchLedger(runtime.keyValueStore),
    onAccepted: async (batch) => void accepted.push(batch),
    logger: createLogger({ serviceName: 'ingestion-test', logLevel: 'SILENT' }),
  };
});
afterEach(() => runtime.close());

const handle = createIngestionHandler(() => Promise.resolve(deps));

/** Drops a batch into landing (data first, control last, as the contract says) and delivers the S3 notification. */
async function land(files: ReturnType<typeof batchFiles>, options: { skipData?: boolean } = {}): Promise<IngestionOutcome> {
  if (!options.skipData) await deps.landing.put(landingKey(files.dataName), files.data);
  await deps.landing.put(landingKey(files.controlName), files.control);
  const [outcome] = await handle(objectCreatedEvent('landing', landingKey(files.controlName), files.control.length));
  if (!outcome) throw new Error('no outcome');
  return outcome;
}

async function quarantined(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const info of deps.quarantine.list(prefix)) keys.push(info.key.slice(prefix.length));
  return keys.sort();
}

describe('ingestion of a good batch', () => {
  it.each([
    ['UTF-8', {}],
    ['Big5', { encoding: 'big5' as const }],
    ['gzip', { gzip: true }],
    ['Big5 and gzip', { encoding: 'big5' as const, gzip: true }],
  ])('accepts a %s batch, records it and starts the pipeline once', async (_label, options) => {
    const outcome = await land(batchFiles(options));
    expect(outcome.outcome).toBe('accepted');
    expect(accepted).toEqual([expect.objectContaining({ batchId: 'customer_profile/2026-11-25', rowCount: PROFILE_ROWS.length })]);
    expect(await deps.ledger.get('customer_profile/2026-11-25')).toMatchObject({ status: 'ACCEPTED', rowCount: 3 });
  });

  it('treats a redelivered notification and a re-sent identical batch as no-ops', async () => {
    const files = batchFiles();
    await land(files);
    const [redelivered] = await handle(objectCreatedEvent('landing', landingKey(files.controlName), files.control.length));
    expect(redelivered?.outcome).toBe('duplicate');
    expect((await land(files)).outcome).toBe('duplicate');
    expect(accepted).toHaveLength(1);
  });

  it('accepts a batch once when the same notification arrives three times at once', async () => {
    // S3 may deliver an event more than once, and Lambda may run the copies side by side: only the ledger's
    // conditional put decides, so a read-then-write claim would accept the batch three times here.
    const files = batchFiles();
    await deps.landing.put(landingKey(files.dataName), files.data);
    await deps.landing.put(landingKey(files.controlName), files.control);
    const event = objectCreatedEvent('landing', landingKey(files.controlName), files.control.length);

    const outcomes = (await Promise.all([handle(event), handle(event), handle(event)])).flat();

    expect(outcomes.map((outcome) => outcome.outcome).sort()).toEqual(['accepted', 'duplicate', 'duplicate']);
    expect(accepted).toHaveLength(1);
  });

  it('ignores notifications of data files: only a control file starts a batch', async () => {
    const files = batchFiles();
    await deps.landing.put(landingKey(files.dataName), files.data);
    expect(await handle(objectCreatedEvent('landing', landingKey(files.dataName), files.data.length))).toEqual([]);
  });
});

describe('a bad batch is quarantined whole, with a coded reason, and nothing is lost', () => {
  const cases: [string, () => ReturnType<typeof batchFiles>, string, { skipData?: boolean }?][] = [
    ['a row count that does not match', () => batchFiles({ control: { rowCount: 4 } }), 'COUNT_MISMATCH'],
    ['a checksum that does not match', () => batchFiles({ control: { sha256: 'f'.repeat(64) } }), 'CHECKSUM_MISMATCH'],
    ['a header in the wrong order', () => batchFiles({ text: 'cust_name,cust_id\r\nx,y\r\n', rows: [['x', 'y']] }), 'BAD_HEADER'],
    ['UTF-8 declared but Big5 sent', () => ({ ...batchFiles({ encoding: 'big5' }), control: batchFiles({ encoding: 'big5', control: { encoding: 'utf-8' } }).control }), 'UNDECODABLE_BYTES'],
    ['Big5 declared but bytes that are not Big5', () => batchFiles({ raw: Buffer.concat([Buffer.from('cust_id\r\n'), Buffer.from([0x80, 0x80, 0x0d, 0x0a])]), control: { encoding: 'big5' } }), 'UNDECODABLE_BYTES'],
    ['a data file that is not there', () => batchFiles(), 'MISSING_DATA_FILE', { skipData: true }],
    ['an unknown dataset', () => batchFiles({ dataset: 'loan_account', text: 'x\r\n', rows: [] }), 'UNKNOWN_DATASET'],
    ['an unknown schema version', () => batchFiles({ control: { schemaVersion: 2 } }), 'UNKNOWN_SCHEMA_VERSION'],
    ['a control file that is not JSON', () => ({ ...batchFiles(), control: Buffer.from('{"dataset": "customer_profile",') }), 'CONTROL_UNREADABLE'],
    ['a file ending inside a quote', () => batchFiles({ text: `${batchFiles().data.toString().trimEnd()}\r\n"A1`, rows: [...PROFILE_ROWS, ['x']] }), 'MALFORMED_CSV'],
  ];

  it.each(cases)('%s', async (_label, make, reasonCode, options) => {
    const files = make();
    const outcome = await land(files, options);
    expect(outcome).toMatchObject({ outcome: 'quarantined', reasonCode });
    if (outcome.outcome !== 'quarantined') return;
    const expectedFiles = options?.skipData ? [files.controlName, 'reason.json'] : [files.controlName, files.dataName, 'reason.json'].sort();
    expect(await quarantined(outcome.quarantinePrefix)).toEqual(expectedFiles.sort());
    if (!options?.skipData) expect(Buffer.from(await deps.quarantine.get(`${outcome.quarantinePrefix}${files.dataName}`))).toEqual(files.data);
    const reason = JSON.parse(Buffer.from(await deps.quarantine.get(`${outcome.quarantinePrefix}reason.json`)).toString()) as Record<string, string>;
    expect(reason['reasonCode']).toBe(reasonCode);
    expect(await deps.landing.head(landingKey(files.controlName))).toBeUndefined();
    expect(accepted).toEqual([]);
    // No value of the batch reaches the reason, the outcome or the ledger.
    const ledger = JSON.stringify(await deps.ledger.list());
    for (const value of ['A123456789', '王小明', '0912345678']) {
      expect(JSON.stringify(outcome) + JSON.stringify(reason) + ledger).not.toContain(value);
    }
  });

  it('quarantines other content for a dataset and date already ingested', async () => {
    await land(batchFiles());
    const outcome = await land(batchFiles({ rows: PROFILE_ROWS.slice(0, 2) }));
    expect(outcome).toMatchObject({ outcome: 'quarantined', reasonCode: 'ALREADY_INGESTED' });
    expect(accepted).toHaveLength(1);
  });

  it('lets a corrected batch in after its first try was quarantined', async () => {
    expect((await land(batchFiles({ control: { rowCount: 9 } }))).outcome).toBe('quarantined');
    expect((await land(batchFiles())).outcome).toBe('accepted');
  });
});

describe('the scheduled sweep', () => {
  it('ingests control files whose notification was lost and quarantines data files left without one', async () => {
    const lost = batchFiles();
    await deps.landing.put(landingKey(lost.dataName), lost.data);
    await deps.landing.put(landingKey(lost.controlName), lost.control);
    const orphan = batchFiles({ dataset: 'account_balance', text: 'x\r\n', rows: [] });
    await deps.landing.put(landingKey(orphan.dataName), orphan.data);
    const scheduled = { version: '0', id: 'e1', 'detail-type': 'Scheduled Event', source: 'aws.scheduler', account: '123456789012', time: '2026-11-26T06:00:00Z', region: 'ap-northeast-1', resources: [], detail: {} };

    const soon = await handle(scheduled);
    expect(soon.map((o) => o.outcome)).toEqual(['accepted']);

    deps = { ...deps, now: () => new Date(Date.now() + 7 * 60 * 60 * 1000) };
    const later = await handle(scheduled);
    // The accepted batch's files wait in landing for the mask step: seeing them again is a no-op.
    expect(later).toEqual([
      expect.objectContaining({ outcome: 'duplicate' }),
      expect.objectContaining({ outcome: 'quarantined', reasonCode: 'MISSING_CONTROL_FILE', batchId: 'account_balance/2026-11-25' }),
    ]);
  });
});

describe('a landing read that fails part-way', () => {
  it('is not judged on half its bytes: nothing is quarantined or claimed, the error is thrown for a retry, and the retry accepts', async () => {
    // Prepare: the landing store cuts the first read of the data file short, as a dropped S3 connection would.
    const files = batchFiles();
    const landing = deps.landing;
    let failures = 1;
    deps = {
      ...deps,
      landing: {
        bucket: landing.bucket,
        put: (...args) => landing.put(...args),
        get: (key) => landing.get(key),
        head: (key) => landing.head(key),
        list: (prefix) => landing.list(prefix),
        delete: (key) => landing.delete(key),
        getStream: async (key: string) => {
          const stream = await landing.getStream(key);
          if (!key.endsWith('.csv') || failures-- <= 0) return stream;
          const { PassThrough } = await import('node:stream');
          const cut = new PassThrough();
          stream.once('data', (chunk: Buffer) => {
            cut.write(chunk.subarray(0, 10));
            cut.destroy(new Error('connection reset'));
          });
          return cut;
        },
      },
    };

    // Act
    const failed = await land(files).catch((error: unknown) => error);

    // Assess: a retryable error, landing untouched, nothing quarantined or claimed; the redelivery is accepted.
    expect(failed).toMatchObject({ code: 'LANDING_READ_FAILED' });
    expect(await quarantined('')).toEqual([]);
    expect(await deps.ledger.get('customer_profile/2026-11-25')).toBeUndefined();
    const [retry] = await handle(objectCreatedEvent('landing', landingKey(files.controlName), files.control.length));
    expect(retry?.outcome).toBe('accepted');
  });
});
