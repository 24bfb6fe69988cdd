import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger, loadPlatformConfig } from '@cur/platform';
import { createRuntime, type Runtime } from '@cur/runtime';
import {
  BatchLedger,
  createIngestionHandler,
  landingKey,
  objectCreatedEvent,
  parseControlFile,
  pushBatches,
  verifyDataFile,
  type IngestionDependencies,
  type RejectionReason,
} from '../../src/index';
import { Readable } from 'node:stream';
import { CANARY_ROWS, PROFILE_HEADER, canariesIn, controlFor, csvLines, errorText, rawLines } from '../helpers/canaries';

/*
 * Finding 3 of issue 12: every way a batch can break the landing contract, built from canary values (in the rows and
 * in the header position), through every path that reports it. No output may carry a value: not the thrown error (its
 * details and causes included), the outcome, the ledger, quarantine's reason.json, the events outbox or the log.
 */

const CONTROL_NAME = 'customer_profile_20261125.ctl';
const [first, second, third] = CANARY_ROWS as [string[], string[], string[]];
const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
const withHeader = (rows: readonly (readonly string[])[]): string => csvLines([PROFILE_HEADER, ...rows]);
const replaced = (row: readonly string[], column: number, value: string): string[] => row.map((field, i) => (i === column ? value : field));
const NAME = 1;
const ADDRESS = 6;

interface BadBatch {
  readonly data: Buffer;
  readonly control: Buffer;
  readonly dataName: string;
}

/** A batch whose control file tells the truth about `data` unless patched. */
function batch(data: Buffer, options: { patch?: Record<string, unknown>; gzip?: boolean; rowCount?: number } = {}): BadBatch {
  const control = controlFor(data, options.patch, options);
  return { data, control: utf8(JSON.stringify(control)), dataName: String(control['file']) };
}

const goodText = withHeader(CANARY_ROWS);

const CASES: readonly [label: string, reasonCode: RejectionReason, make: () => BadBatch, says?: string][] = [
  ['no header row: the first customer is read as the header', 'BAD_HEADER', () => batch(utf8(csvLines(CANARY_ROWS)), { rowCount: 2 }), 'are not column names'],
  ['no header row, Big5 and gzip', 'BAD_HEADER', () => batch(gzipSync(iconv.encode(csvLines(CANARY_ROWS), 'cp950')), { gzip: true, rowCount: 2, patch: { encoding: 'big5' } })],
  ['the header in the wrong order', 'BAD_HEADER', () => batch(utf8(withHeader([]).replace('cust_id,cust_name', 'cust_name,cust_id') + csvLines(CANARY_ROWS))), 'field 1 is cust_name where the contract has cust_id'],
  ['a canary name in place of a column name', 'BAD_HEADER', () => batch(utf8(csvLines([replaced(PROFILE_HEADER, NAME, first[NAME] as string), ...CANARY_ROWS]))), 'field 2 is not a column name'],
  ['a header with a column missing', 'BAD_HEADER', () => batch(utf8(csvLines([PROFILE_HEADER.filter((_name, i) => i !== ADDRESS), ...CANARY_ROWS]))), 'it has 10 field(s)'],
  ['an empty data file', 'BAD_HEADER', () => batch(Buffer.alloc(0), { rowCount: 0 }), 'no header row'],
  ['an unquoted comma in a name: one field too many', 'MALFORMED_CSV', () => batch(utf8(withHeader([first]) + rawLines([replaced(second, NAME, '歐陽,金絲')]) + csvLines([third]))), 'record 3 (the header is record 1): a record with another number of fields'],
  ['a row with a field missing', 'MALFORMED_CSV', () => batch(utf8(withHeader([first, second.slice(0, 10), third]))), 'it has 10 fields, customer_profile has 11 columns'],
  ['a stray quote inside a name', 'MALFORMED_CSV', () => batch(utf8(withHeader([first]) + rawLines([replaced(second, NAME, '歐陽"金絲')]))), 'record 3 (the header is record 1), column cust_name'],
  ['text after the closing quote of an address', 'MALFORMED_CSV', () => batch(utf8(withHeader([first]) + rawLines([replaced(second, ADDRESS, `"${second[ADDRESS]}"3樓`)]))), 'column address'],
  ['a file that ends inside a quoted address', 'MALFORMED_CSV', () => batch(utf8(withHeader([first, second]) + rawLines([replaced(third, ADDRESS, `"${third[ADDRESS]}`)]).trimEnd())), 'column address: the file ends inside a quoted field'],
  ['a huge address', 'MALFORMED_CSV', () => batch(utf8(withHeader([first, replaced(second, ADDRESS, (second[ADDRESS] as string).repeat(400)), third]))), 'record 3 (the header is record 1), column address: a field longer than the landing contract allows of 4096 characters'],
  ['a huge field in the header position', 'MALFORMED_CSV', () => batch(utf8(csvLines([[(first[NAME] as string).repeat(3000)], ...CANARY_ROWS]))), 'record 1 (the header), column cust_id'],
  ['a record of many long fields', 'MALFORMED_CSV', () => batch(utf8(withHeader([first]) + csvLines([Array.from({ length: 20 }, () => (second[ADDRESS] as string).repeat(330))]))), 'a record longer than the landing contract allows'],
  ['UTF-8 declared, Big5 sent', 'UNDECODABLE_BYTES', () => batch(iconv.encode(goodText, 'cp950'))],
  ['Big5 declared, a name that is not Big5', 'UNDECODABLE_BYTES', () => batch(Buffer.concat([iconv.encode(withHeader([first]), 'cp950'), Buffer.from([0x80, 0x80]), iconv.encode(csvLines([second]), 'cp950')]), { patch: { encoding: 'big5' } })],
  ['a .csv.gz that is not gzip', 'UNDECODABLE_BYTES', () => batch(utf8(goodText), { gzip: true }), 'not valid gzip'],
  ['a checksum that does not match', 'CHECKSUM_MISMATCH', () => batch(utf8(goodText), { patch: { sha256: 'f'.repeat(64) } })],
  ['a row count that does not match', 'COUNT_MISMATCH', () => batch(utf8(goodText), { rowCount: 4 }), 'has 3 data rows; its control file declares 4'],
  ['a control file too large to read', 'CONTROL_UNREADABLE', () => ({ ...batch(utf8(goodText)), control: utf8(goodText.repeat(200)) }), 'a control file is at most 65536 bytes'],
  ['a data file sent as the control file', 'CONTROL_UNREADABLE', () => ({ ...batch(utf8(goodText)), control: utf8(goodText) }), 'is not JSON'],
  ['a control file that is not UTF-8', 'CONTROL_UNREADABLE', () => ({ ...batch(utf8(goodText)), control: iconv.encode(JSON.stringify({ dataset: first[NAME] }), 'cp950') }), 'is not UTF-8'],
  [
    'control file fields holding canaries',
    'CONTROL_UNREADABLE',
    () => batch(utf8(goodText), { patch: { encoding: first[NAME], rowCount: first[0], sha256: first[5], schemaVersion: first[4] } }),
    'encoding must be utf-8 or big5',
  ],
  ['a control file key that is a canary', 'CONTROL_UNREADABLE', () => batch(utf8(goodText), { patch: { [first[NAME] as string]: first[ADDRESS], [first[5] as string]: 1 } }), '2 key(s) that are not in the schema'],
];

let home: string;
let runtime: Runtime;
let deps: IngestionDependencies;
let logged: string[];

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'cur-canary-'));
  runtime = await createRuntime(loadPlatformConfig({ CUR_HOME: home }));
  const events = runtime.events();
  logged = [];
  // Powertools writes INFO and below to stdout, WARN and above to stderr: capture both.
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    });
  }
  deps = {
    landing: runtime.blobStore('landing'),
    quarantine: runtime.blobStore('quarantine'),
    ledger: new BatchLedger(runtime.keyValueStore),
    onAccepted: (accepted) => events.publish('Batch Accepted', accepted),
    logger: createLogger({ serviceName: 'ingestion-canary-test', logLevel: 'DEBUG' }),
  };
});
afterEach(async () => {
  vi.restoreAllMocks();
  await runtime.close();
});

/** What a person could read after ingestion handled a batch: reason.json files, the ledger, the outbox, the log. */
async function readableOutputs(): Promise<string> {
  const texts: string[] = [JSON.stringify(await deps.ledger.list()), logged.join('')];
  for await (const info of deps.quarantine.list('')) {
    if (info.key.endsWith('reason.json')) texts.push(Buffer.from(await deps.quarantine.get(info.key)).toString('utf8'));
  }
  const outbox = join(home, 'outbox');
  for (const name of await readdir(outbox).catch(() => [])) texts.push(await readFile(join(outbox, name), 'utf8'));
  return texts.join('\n');
}

describe('no value of a bad batch reaches any output', () => {
  it.each(CASES)('%s: verification throws a value-free %s', async (_label, reasonCode, make, says) => {
    const files = make();
    const error = await (async () => {
      const { control, dataset } = parseControlFile(CONTROL_NAME, files.control);
      await verifyDataFile(control, dataset, Readable.from([files.data]));
    })().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toMatchObject({ name: 'BatchRejectedError', code: reasonCode });
    if (says) expect((error as Error).message).toContain(says);
    expect(canariesIn(errorText(error))).toEqual([]);
  });

  it.each(CASES)('%s: the ingestion handler quarantines it as %s with a value-free reason', async (_label, reasonCode, make) => {
    const files = make();
    await deps.landing.put(landingKey(files.dataName), files.data);
    await deps.landing.put(landingKey(CONTROL_NAME), files.control);
    const outcomes = await createIngestionHandler(() => Promise.resolve(deps))(objectCreatedEvent('landing', landingKey(CONTROL_NAME), files.control.length));
    expect(outcomes).toEqual([expect.objectContaining({ outcome: 'quarantined', reasonCode })]);
    expect(logged.join('')).toContain('batch quarantined');
    expect(canariesIn(JSON.stringify(outcomes))).toEqual([]);
    expect(canariesIn(await readableOutputs())).toEqual([]);
  });

  it.each(CASES)('%s: the push refuses to send it (%s), with a value-free reason', async (_label, reasonCode, make) => {
    const files = make();
    const dir = await mkdtemp(join(tmpdir(), 'cur-canary-extracts-'));
    await writeFile(join(dir, files.dataName), files.data);
    await writeFile(join(dir, CONTROL_NAME), files.control);
    const outcomes = await pushBatches(dir, deps.landing, { ledger: deps.ledger });
    expect(outcomes).toEqual([expect.objectContaining({ status: 'refused', reasonCode })]);
    expect(canariesIn(JSON.stringify(outcomes))).toEqual([]);
  });

  it('a batch that conflicts with one already ingested, and its accepted twin, leave no value in events, ledger or log', async () => {
    const handle = createIngestionHandler(() => Promise.resolve(deps));
    for (const rows of [CANARY_ROWS, CANARY_ROWS.slice(0, 2)]) {
      const files = batch(utf8(withHeader(rows)), { rowCount: rows.length });
      await deps.landing.put(landingKey(files.dataName), files.data);
      await deps.landing.put(landingKey(CONTROL_NAME), files.control);
      await handle(objectCreatedEvent('landing', landingKey(CONTROL_NAME), files.control.length));
    }
    const attempts = (await deps.ledger.list())[0]?.attempts.map((attempt) => attempt.reasonCode ?? attempt.outcome);
    expect(attempts?.sort()).toEqual(['ALREADY_INGESTED', 'accepted']);
    const outputs = await readableOutputs();
    expect(outputs).toContain('Batch Accepted');
    expect(canariesIn(outputs)).toEqual([]);
  });

  it('the canary scan itself finds each kind of canary', () => {
    expect(canariesIn(`header is [${first.join(', ')}]`).length).toBeGreaterThanOrEqual(first.length - 4);
    expect(canariesIn('bad value 歐陽')).toEqual(['歐陽']);
    expect(canariesIn('Q2987654')).toEqual(['q29876']);
    expect(canariesIn('customer_profile_20261125.csv header does not match the contract: field 1 is not a column name')).toEqual([]);
  });
});
