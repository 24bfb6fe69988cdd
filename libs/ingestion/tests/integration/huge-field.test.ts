import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, loadPlatformConfig } from '@cur/platform';
import { createRuntime, type Runtime } from '@cur/runtime';
import { BatchLedger, createIngestionHandler, landingKey, objectCreatedEvent, pushBatches, type IngestionDependencies } from '../../src/index';
import { CANARY_ROWS, PROFILE_HEADER, canariesIn, controlFor, csvLines } from '../helpers/canaries';

/*
 * Finding 5 of issue 12: one 40 MB field used to be read a character at a time into a string, which took well over a
 * gigabyte and crashed ingestion at the Lambda's 1024 MB with nothing quarantined. Now the field is refused at the
 * contract's limit, the batch is quarantined whole as MALFORMED_CSV, and the heap barely moves.
 */

const FIELD_BYTES = 40 * 1024 * 1024;
const ADDRESS = 6;
const [first, second] = CANARY_ROWS as [string[], string[]];

let runtime: Runtime;
let deps: IngestionDependencies;
let dir: string;

beforeEach(async () => {
  runtime = await createRuntime(loadPlatformConfig({ CUR_HOME: await mkdtemp(join(tmpdir(), 'cur-huge-')) }));
  dir = await mkdtemp(join(tmpdir(), 'cur-huge-extracts-'));
  deps = {
    landing: runtime.blobStore('landing'),
    quarantine: runtime.blobStore('quarantine'),
    ledger: new BatchLedger(runtime.keyValueStore),
    onAccepted: () => Promise.reject(new Error('a batch with a 40 MB field must not be accepted')),
    logger: createLogger({ serviceName: 'huge-field-test', logLevel: 'SILENT' }),
  };
});
afterEach(() => runtime.close());

/**
 * Writes a customer_profile batch whose second row's address is a 40 MB field (quoted or not), streamed to disk so
 * the test itself never holds it, with a truthful control file.
 */
async function writeHugeBatch(quoted: boolean): Promise<{ dataPath: string; controlPath: string; bytes: number }> {
  const dataPath = join(dir, 'customer_profile_20261125.csv');
  const hash = createHash('sha256');
  const out = createWriteStream(dataPath);
  const write = async (text: string | Buffer): Promise<void> => {
    hash.update(text);
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  const before = second.slice(0, ADDRESS).join(',');
  const after = second.slice(ADDRESS + 1).join(',');
  await write(csvLines([PROFILE_HEADER, first]) + `${before},${quoted ? '"' : ''}`);
  // A Taiwanese address repeated: three bytes a character in UTF-8.
  const block = Buffer.from((second[ADDRESS] as string).repeat(Math.ceil((1024 * 1024) / Buffer.byteLength(second[ADDRESS] as string))), 'utf8');
  for (let written = 0; written < FIELD_BYTES; written += block.length) await write(block);
  await write(`${quoted ? '"' : ''},${after}\r\n`);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  const control = controlFor(Buffer.alloc(0), { sha256: hash.digest('hex') }, { rowCount: 2 });
  const controlPath = join(dir, 'customer_profile_20261125.ctl');
  await writeFile(controlPath, JSON.stringify(control));
  return { dataPath, controlPath, bytes: (await stat(dataPath)).size };
}

/** Runs `work` and reports the largest growth of the JS heap seen while it ran, sampled every few milliseconds. */
async function peakHeapGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 2);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    return { result, growth: peak - before };
  } finally {
    clearInterval(sampler);
  }
}

describe('a batch with a 40 MB field', () => {
  it.each([
    ['quoted', true],
    ['unquoted', false],
  ])('is quarantined whole as MALFORMED_CSV (%s), naming the row and column, with bounded memory', async (_label, quoted) => {
    const batch = await writeHugeBatch(quoted);
    expect(batch.bytes).toBeGreaterThan(FIELD_BYTES);
    await deps.landing.put(landingKey('customer_profile_20261125.csv'), createReadStream(batch.dataPath));
    await deps.landing.put(landingKey('customer_profile_20261125.ctl'), createReadStream(batch.controlPath));

    const { result: outcomes, growth } = await peakHeapGrowth(() =>
      createIngestionHandler(() => Promise.resolve(deps))(objectCreatedEvent('landing', landingKey('customer_profile_20261125.ctl'), 200)),
    );

    expect(outcomes).toEqual([expect.objectContaining({ outcome: 'quarantined', reasonCode: 'MALFORMED_CSV' })]);
    const outcome = outcomes[0];
    if (outcome?.outcome !== 'quarantined') return;
    expect(outcome.reason).toBe(
      'customer_profile_20261125.csv record 3 (the header is record 1), column address: a field longer than the landing contract allows of 4096 characters',
    );
    expect(canariesIn(outcome.reason)).toEqual([]);
    // The whole file is in quarantine, byte for byte, and gone from landing.
    expect((await deps.quarantine.head(`${outcome.quarantinePrefix}customer_profile_20261125.csv`))?.size).toBe(batch.bytes);
    expect(await deps.landing.head(landingKey('customer_profile_20261125.csv'))).toBeUndefined();
    const reason = JSON.parse(Buffer.from(await deps.quarantine.get(`${outcome.quarantinePrefix}reason.json`)).toString()) as Record<string, unknown>;
    expect(reason).toMatchObject({ reasonCode: 'MALFORMED_CSV', details: { problem: 'FIELD_TOO_LONG', record: 3, field: 7, limit: 4096 } });
    // Reading the field a character at a time took over a gigabyte; refused at the limit, it takes next to nothing.
    expect(growth).toBeLessThan(200 * 1024 * 1024);
  });

  it('is not sent by the push, for the same reason', async () => {
    await writeHugeBatch(true);
    const { result: outcomes, growth } = await peakHeapGrowth(() => pushBatches(dir, deps.landing, { ledger: deps.ledger }));
    expect(outcomes).toEqual([expect.objectContaining({ status: 'refused', reasonCode: 'MALFORMED_CSV', reason: expect.stringContaining('column address') })]);
    expect(await deps.landing.head(landingKey('customer_profile_20261125.csv'))).toBeUndefined();
    expect(growth).toBeLessThan(200 * 1024 * 1024);
  });
});
