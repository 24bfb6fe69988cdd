import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { DATASETS, DATASET_NAMES, ControlFileSchema, type SourceDatasetName } from '@cur/contracts';
import {
  SyntheticOptionsError,
  SyntheticSinkError,
  dirtyRowKindsFor,
  generateLandingBatches,
  writeToDirectory,
  type GenerateProgressEvent,
  type GenerateSummary,
  type GeneratedBatch,
} from '../../src/index';
import { columnProblem, nationalIdIsValid, rocToIso, rowProblems } from '../helpers/contract-checks';
import { listFiles, memorySink, readBatch, tempFolder, type ReadBatch } from '../helpers/landing-files';

const BUSINESS_DATES = ['2026-11-25', '2026-11-26'];
const CUSTOMERS = 3_000;

const column = (dataset: SourceDatasetName, name: string): number => DATASETS[dataset].columns.findIndex((c) => c.name === name);

describe('Function: generateLandingBatches, 3,000 customers over 2 days with the default dirty rate', () => {
  let folder: { dir: string; cleanup: () => Promise<void> };
  let summary: GenerateSummary;
  const events: GenerateProgressEvent[] = [];
  const batches = new Map<string, { batch: GeneratedBatch; read: ReadBatch }>();
  const get = (dataset: SourceDatasetName, day = 0): { batch: GeneratedBatch; read: ReadBatch } => {
    const found = batches.get(`${dataset}@${BUSINESS_DATES[day]}`);
    if (!found) throw new Error(`no batch ${dataset} ${day}`);
    return found;
  };
  /** Rows that are not logged as dirty. */
  const cleanRows = (dataset: SourceDatasetName, day = 0): string[][] => {
    const { batch, read } = get(dataset, day);
    const dirty = new Set((batch.dirtyRowLog ?? []).map((record) => record.row));
    return read.rows.filter((_, i) => !dirty.has(i + 1));
  };

  beforeAll(async () => {
    folder = await tempFolder();
    summary = await generateLandingBatches({ customers: CUSTOMERS, days: 2, seed: 42, recordDirtyRows: true }, writeToDirectory(folder.dir), (event) => events.push(event));
    for (const batch of summary.batches) {
      batches.set(`${batch.dataset}@${batch.businessDate}`, { batch, read: await readBatch(folder.dir, batch.controlFile) });
    }
  });
  afterAll(async () => {
    await folder.cleanup();
  });

  it('writes a data file and a control file per dataset and day, named by the landing contract, and nothing else', async () => {
    expect(summary.batches.map((b) => `${b.businessDate} ${b.dataset}`)).toEqual(
      BUSINESS_DATES.flatMap((date) => DATASET_NAMES.map((name) => `${date} ${name}`)),
    );
    expect(await listFiles(folder.dir)).toEqual(
      [
        ...BUSINESS_DATES.flatMap((date) => {
          const d = date.replaceAll('-', '');
          return [
            `customer_profile_${d}.csv`, `customer_profile_${d}.ctl`, `account_balance_${d}.csv`, `account_balance_${d}.ctl`,
            `card_transaction_${d}.csv.gz`, `card_transaction_${d}.ctl`, `digital_activity_${d}.csv`, `digital_activity_${d}.ctl`,
          ];
        }),
      ].sort(),
    );
  });

  it('writes control files that pass ControlFileSchema and vouch for their data files exactly', () => {
    for (const { batch, read } of batches.values()) {
      const dataset = DATASETS[batch.dataset];
      expect(ControlFileSchema.safeParse(read.control).success).toBe(true);
      expect(read.control).toEqual({
        dataset: batch.dataset,
        businessDate: batch.businessDate,
        file: batch.dataFile,
        rowCount: batch.rowCount,
        sha256: batch.sha256,
        encoding: batch.encoding,
        schemaVersion: dataset.schemaVersion,
      });
      expect(read.sha256).toBe(read.control.sha256);
      expect(read.stored.length).toBe(batch.bytes);
      expect(read.rows.length).toBe(read.control.rowCount);
      expect(read.header).toEqual(dataset.columns.map((c) => c.name));
      for (const row of read.rows) expect(row).toHaveLength(dataset.columns.length);
    }
  });

  it('ends every line with CRLF', () => {
    for (const { read } of batches.values()) {
      expect(read.text.endsWith('\r\n')).toBe(true);
      expect(/[^\r]\n/.test(read.text)).toBe(false);
      expect(read.text.split('\r\n')).toHaveLength(read.rows.length + 2);
    }
  });

  it('writes profile and balance files in Big5 (CP950) that decode back to Chinese, and the others in UTF-8', () => {
    for (const { batch, read } of batches.values()) {
      const big5 = batch.dataset === 'customer_profile' || batch.dataset === 'account_balance';
      expect(read.control.encoding).toBe(big5 ? 'big5' : 'utf-8');
      if (big5) {
        expect(() => new TextDecoder('utf-8', { fatal: true }).decode(read.plain)).toThrow();
        expect(iconv.encode(read.text, 'cp950').equals(read.plain)).toBe(true);
        expect(read.text).not.toContain('\uFFFD');
      }
    }
    const profile = get('customer_profile').read;
    expect(profile.text).toMatch(/[\u4e00-\u9fff]{2,}/);
    expect(profile.rows.filter((row) => /^[\u4e00-\u9fff]{2,4}$/.test(row[1] as string)).length).toBeGreaterThan(CUSTOMERS * 0.98);
    expect(profile.rows.some((row) => (row[6] as string).startsWith('臺北市'))).toBe(true);
  });

  it('gzips the card transactions as a .csv.gz whose checksum covers the compressed bytes', () => {
    const { batch, read } = get('card_transaction');
    expect(batch.dataFile.endsWith('.csv.gz')).toBe(true);
    expect([...read.stored.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    expect(read.plain.length).toBeGreaterThan(read.stored.length * 2);
  });

  it('keeps every row that is not logged dirty within the contract: types, allowed values, ranges, formats', () => {
    for (const { batch, read } of batches.values()) {
      const dirty = new Set((batch.dirtyRowLog ?? []).map((record) => record.row));
      read.rows.forEach((row, i) => {
        if (!dirty.has(i + 1)) expect(rowProblems(DATASETS[batch.dataset], row, batch.businessDate), `${batch.dataFile} row ${i + 1}`).toEqual([]);
      });
    }
  });

  it('makes each logged dirty row dirty in the logged way, and counts them by kind', () => {
    for (const { batch, read } of batches.values()) {
      const dataset = DATASETS[batch.dataset];
      const log = batch.dirtyRowLog ?? [];
      expect(log).toHaveLength(batch.dirtyRows);
      expect(Object.values(batch.dirtyRowsByKind).reduce((a, b) => a + b, 0)).toBe(batch.dirtyRows);
      const profileIds = new Set(get('customer_profile', BUSINESS_DATES.indexOf(batch.businessDate)).read.rows.map((row) => row[0]));
      for (const record of log) {
        expect(dirtyRowKindsFor(dataset)).toContain(record.kind);
        const row = read.rows[record.row - 1] as string[];
        if (record.kind === 'duplicate_row') {
          expect(row).toEqual(read.rows[record.row - 2]);
        } else if (record.kind === 'orphan_customer') {
          const id = row[column(batch.dataset, 'cust_id')] as string;
          expect(nationalIdIsValid(id)).toBe(true);
          expect(profileIds.has(id)).toBe(false);
        } else {
          const value = row[column(batch.dataset, record.column ?? '')] as string;
          expect(columnProblem(dataset, record.column ?? '', value, batch.businessDate), `${batch.dataFile} ${record.kind} ${record.column}`).toBeDefined();
        }
      }
    }
    expect(summary.totalDirtyRows).toBeGreaterThan(0);
  });

  it('gives every customer one profile row with a unique valid national ID whose gender digit matches', () => {
    const rows = cleanRows('customer_profile');
    const ids = rows.map((row) => row[0] as string);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(CUSTOMERS * 0.99);
    for (const row of rows) {
      expect(nationalIdIsValid(row[0] as string)).toBe(true);
      expect(row[3]).toBe(row[0]?.[1] === '1' ? 'M' : 'F');
    }
    const { batch } = get('customer_profile');
    expect(batch.rowCount).toBe(CUSTOMERS + batch.dirtyRowsByKind.duplicate_row);
  });

  it('writes ages 18-90 at the start date and open dates between the 18th birthday and the business date, in ROC form', () => {
    for (const row of cleanRows('customer_profile')) {
      const birth = rocToIso(row[2] as string) as string;
      const open = rocToIso(row[8] as string) as string;
      const years = (new Date('2026-11-25').getTime() - new Date(birth).getTime()) / (365.2425 * 86_400_000);
      expect(years).toBeGreaterThanOrEqual(18);
      expect(years).toBeLessThan(91);
      expect(open < '2026-11-25').toBe(true);
      expect(open >= `${Number(birth.slice(0, 4)) + 18}${birth.slice(4)}` || birth.endsWith('02-29')).toBe(true);
    }
  });

  it('looks like Taiwanese customer data: 台 and full-width digits in some addresses, some missing e-mails', () => {
    const rows = cleanRows('customer_profile');
    const addresses = rows.map((row) => row[6] as string);
    expect(addresses.filter((a) => a.startsWith('台')).length).toBeGreaterThan(20);
    expect(addresses.filter((a) => /[０-９]/.test(a)).length).toBeGreaterThan(100);
    expect(addresses.filter((a) => a === '').length).toBeGreaterThan(10);
    expect(rows.filter((row) => row[5] === '').length / rows.length).toBeGreaterThan(0.1);
    expect(new Set(rows.map((row) => row[9])).size).toBe(5);
  });

  it('keeps references to customer_profile, except deliberate orphans and customers whose own profile row is dirty', () => {
    for (let day = 0; day < BUSINESS_DATES.length; day += 1) {
      const profileIds = new Set(get('customer_profile', day).read.rows.map((row) => row[0]));
      const dirtyProfileIds = (get('customer_profile', day).batch.dirtyRowLog ?? []).filter((r) => r.column === 'cust_id').length;
      for (const dataset of ['account_balance', 'card_transaction', 'digital_activity'] as const) {
        const missing = new Set(cleanRows(dataset, day).map((row) => row[column(dataset, 'cust_id')] as string).filter((id) => !profileIds.has(id)));
        expect(missing.size, `${dataset} day ${day}`).toBeLessThanOrEqual(dirtyProfileIds);
      }
    }
  });

  it('has about 2.5 accounts, 1 card transaction and 2 digital events per customer per day', () => {
    const perCustomer = (dataset: SourceDatasetName): number => get(dataset).batch.rowCount / CUSTOMERS;
    expect(perCustomer('account_balance')).toBeGreaterThan(2.3);
    expect(perCustomer('account_balance')).toBeLessThan(2.7);
    expect(perCustomer('card_transaction')).toBeGreaterThan(0.85);
    expect(perCustomer('card_transaction')).toBeLessThan(1.15);
    expect(perCustomer('digital_activity')).toBeGreaterThan(1.8);
    expect(perCustomer('digital_activity')).toBeLessThan(2.2);
  });

  it('keeps accounts and cards stable across days, with the same owner', () => {
    const accounts = (day: number): Map<string, string> =>
      new Map(cleanRows('account_balance', day).map((row) => [row[0] as string, [row[1], row[2], row[3], row[6]].join('|')]));
    const [day1, day2] = [accounts(0), accounts(1)];
    let same = 0;
    for (const [acctNo, owner] of day1) if (day2.get(acctNo) === owner) same += 1;
    expect(same / day1.size).toBeGreaterThan(0.98);

    const owners = new Map<string, string>();
    for (const day of [0, 1]) {
      for (const row of cleanRows('card_transaction', day)) {
        const [card, cust] = [row[1] as string, row[2] as string];
        owners.set(card, owners.get(card) ?? cust);
        expect(owners.get(card)).toBe(cust);
      }
    }
  });

  it('gives unique transaction and event ids within and across days', () => {
    for (const dataset of ['card_transaction', 'digital_activity'] as const) {
      const ids = [0, 1].flatMap((day) => cleanRows(dataset, day).map((row) => row[0] as string));
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('writes realistic card transactions: mostly TWD, some abroad in foreign currency, a few refunds, quoted merchant names', () => {
    const rows = cleanRows('card_transaction');
    const twd = rows.filter((row) => row[7] === 'TWD').length / rows.length;
    expect(twd).toBeGreaterThan(0.85);
    expect(rows.some((row) => row[8] === 'OVERSEAS' && row[7] !== 'TWD')).toBe(true);
    expect(rows.some((row) => (row[6] as string).startsWith('-'))).toBe(true);
    expect(rows.filter((row) => (row[6] as string).startsWith('-')).length / rows.length).toBeLessThan(0.05);
    expect(get('card_transaction').read.text).toMatch(/"[^"\r\n]*,[^"\r\n]*"/);
  });

  it('reports progress for every batch, ending with its row count', () => {
    const started = events.filter((e) => e.type === 'batch-started');
    const finished = events.filter((e) => e.type === 'batch-finished');
    expect(started).toHaveLength(8);
    expect(finished.map((e) => (e.type === 'batch-finished' ? e.batch : undefined))).toEqual(summary.batches);
    for (const batch of summary.batches) {
      const rows = events.filter((e) => e.type === 'rows-written' && e.dataset === batch.dataset && e.businessDate === batch.businessDate);
      expect(rows.at(-1)).toMatchObject({ rows: batch.rowCount });
    }
  });
});

describe('Function: generateLandingBatches, without dirty rows', () => {
  it('writes only rows within the contract, with full referential integrity', async () => {
    // Prepare
    const folder = await tempFolder();
    try {
      // Act
      const summary = await generateLandingBatches({ customers: 1_500, seed: 3, dirtyRate: 0 }, writeToDirectory(folder.dir));

      // Assess
      expect(summary.totalDirtyRows).toBe(0);
      const read = new Map<string, ReadBatch>();
      for (const batch of summary.batches) read.set(batch.dataset, await readBatch(folder.dir, batch.controlFile));
      const profile = read.get('customer_profile') as ReadBatch;
      expect(profile.rows).toHaveLength(1_500);
      const ids = new Set(profile.rows.map((row) => row[0]));
      expect(ids.size).toBe(1_500);
      for (const batch of summary.batches) {
        const rows = (read.get(batch.dataset) as ReadBatch).rows;
        for (const row of rows) expect(rowProblems(DATASETS[batch.dataset], row, '2026-11-25')).toEqual([]);
        if (batch.dataset !== 'customer_profile') {
          for (const row of rows) expect(ids.has(row[column(batch.dataset, 'cust_id')])).toBe(true);
        }
      }
    } finally {
      await folder.cleanup();
    }
  });
});

describe('Function: generateLandingBatches, dirty rate', () => {
  it('makes the requested share of every file dirty, with every kind that applies', async () => {
    // Act
    const summary = await generateLandingBatches({ customers: 4_000, seed: 11, dirtyRate: 0.05 }, memorySink());

    // Assess
    for (const batch of summary.batches) {
      const share = batch.dirtyRows / batch.rowCount;
      expect(share, batch.dataFile).toBeGreaterThan(0.05 * 0.75);
      expect(share, batch.dataFile).toBeLessThan(0.05 * 1.25);
      for (const kind of dirtyRowKindsFor(DATASETS[batch.dataset])) expect(batch.dirtyRowsByKind[kind], `${batch.dataFile} ${kind}`).toBeGreaterThan(0);
    }
    expect(summary.batches.find((b) => b.dataset === 'card_transaction')?.dirtyRowsByKind.orphan_customer).toBeGreaterThan(0);
    expect(summary.totalDirtyRows).toBe(summary.batches.reduce((n, b) => n + b.dirtyRows, 0));
  });
});

describe('Function: generateLandingBatches, determinism', () => {
  it('writes byte-identical files for the same options and different ones for another seed', async () => {
    // Prepare
    const [a, b, c] = [memorySink(), memorySink(), memorySink()];
    const options = { customers: 800, days: 2, dirtyRate: 0.02 };

    // Act
    const first = await generateLandingBatches({ ...options, seed: 5 }, a);
    const second = await generateLandingBatches({ ...options, seed: 5 }, b);
    const other = await generateLandingBatches({ ...options, seed: 6 }, c);

    // Assess
    expect(second.batches.map((x) => x.sha256)).toEqual(first.batches.map((x) => x.sha256));
    for (const [name, bytes] of a.files) expect(b.files.get(name)?.equals(bytes), name).toBe(true);
    first.batches.forEach((batch, i) => expect(other.batches[i]?.sha256).not.toBe(batch.sha256));
  });
});

describe('Function: generateLandingBatches, streaming into the sink', () => {
  it('hands each file over in chunks, the control file right after its data file', async () => {
    // Prepare
    const sink = memorySink();

    // Act
    const summary = await generateLandingBatches({ customers: 3_000 }, sink);

    // Assess
    expect(sink.writes.map((w) => w.fileName)).toEqual(summary.batches.flatMap((b) => [b.dataFile, b.controlFile]));
    const profile = sink.writes.find((w) => w.fileName.startsWith('customer_profile'));
    expect(profile?.chunks).toBeGreaterThan(2);
  });

  it('wraps a failing sink in SyntheticSinkError with the original as cause', async () => {
    const failure = new Error('disk full');
    const error = await generateLandingBatches({ customers: 10 }, { write: () => Promise.reject(failure) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyntheticSinkError);
    expect((error as SyntheticSinkError).cause).toBe(failure);
    expect((error as SyntheticSinkError).message).toContain('customer_profile_20261125.csv');
  });

  it('refuses a sink that stops reading before the end of a file', async () => {
    const lazy = {
      async write(_name: string, chunks: AsyncIterable<Uint8Array>): Promise<void> {
        for await (const _chunk of chunks) break;
      },
    };
    await expect(generateLandingBatches({ customers: 2_000 }, lazy)).rejects.toThrow(SyntheticSinkError);
  });

  it('refuses invalid options before writing anything', async () => {
    const sink = memorySink();
    await expect(generateLandingBatches({ customers: -1 }, sink)).rejects.toThrow(SyntheticOptionsError);
    expect(sink.writes).toEqual([]);
  });
});

describe('Function: generateLandingBatches, card activity', () => {
  it('multiplies card transactions and leaves every other dataset byte for byte as it was', async () => {
    const base = await generateLandingBatches({ customers: 2_000, seed: 5 }, memorySink());
    const busy = await generateLandingBatches({ customers: 2_000, seed: 5, cardActivity: 10 }, memorySink());
    const rows = (summary: GenerateSummary, dataset: SourceDatasetName) => summary.batches.find((b) => b.dataset === dataset);
    const ratio = (rows(busy, 'card_transaction')?.rowCount ?? 0) / (rows(base, 'card_transaction')?.rowCount ?? 1);
    expect(ratio).toBeGreaterThan(9);
    expect(ratio).toBeLessThan(11);
    for (const dataset of DATASET_NAMES.filter((name) => name !== 'card_transaction')) {
      expect(rows(busy, dataset)?.sha256, dataset).toBe(rows(base, dataset)?.sha256);
    }
  });

  it('refuses a factor out of range', async () => {
    await expect(generateLandingBatches({ cardActivity: 0 }, memorySink())).rejects.toThrow(SyntheticOptionsError);
    await expect(generateLandingBatches({ cardActivity: 51 }, memorySink())).rejects.toThrow(SyntheticOptionsError);
  });
});
