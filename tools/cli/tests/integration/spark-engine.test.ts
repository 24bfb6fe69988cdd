import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDataset } from '@cur/contracts';
import { CsvRecordReader } from '@cur/ingestion';
import { generateLandingBatches, writeToDirectory } from '@cur/synthetic';
import { runCurBin, startCur, type CurBinRun } from '../helpers/run-cur-bin';
import { WORKSPACE_PYTHON } from '../../src/spark-wiring';

/**
 * `cur run --engine spark` as a user runs it: the real executable on a fresh state folder, the transform, consumption
 * and mart plans on one local Spark process (pyspark 3.5.6), then the same date again on DuckDB for comparison. The
 * state folder is then scanned, every file outside landing, for any sensitive value of the input.
 */

const BUSINESS_DATE = '2026-11-25';
const LAYERS = { raw: 4, transformed: 8, consumption: 2, mart: 2 } as const;

let home: string;
let extracts: string;
let spark: CurBinRun;
let sparkRun: { runId: string; status: string; engines: Record<string, string>; steps: { step: string; status: string }[] };
const sparkRows = new Map<string, number>();

/** The live processes whose environment points their temp folder into `home`: the Spark process and its JVM. */
function sparkProcessesOf(home: string): number[] {
  const marker = `TMPDIR=${join(home, 'system-scratch', 'spark')}`;
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(marker);
      } catch {
        return false; // gone, or another user's
      }
    })
    .map(Number);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** Every published manifest of a date: `<zone>/<dataset>` -> rows. */
async function manifestRows(): Promise<Map<string, number>> {
  const rows = new Map<string, number>();
  for (const file of await filesUnder(join(home, 'lake', 'system', 'manifests'))) {
    if (!file.endsWith(`business_date=${BUSINESS_DATE}.json`)) continue;
    const manifest = JSON.parse(await readFile(file, 'utf8')) as { zone: string; dataset: string; rowCount: number };
    rows.set(`${manifest.zone}/${manifest.dataset}`, manifest.rowCount);
  }
  return rows;
}

beforeAll(async () => {
  expect(existsSync(WORKSPACE_PYTHON), `no Python environment at ${WORKSPACE_PYTHON}: run npx nx run python-env:setup`).toBe(true);
  home = await mkdtemp(join(tmpdir(), 'cur-spark-engine-'));
  extracts = await mkdtemp(join(tmpdir(), 'cur-spark-extracts-'));
  // UTF-8 and uncompressed, so the test reads the input's values back simply (Big5 and gzip are the mask step's, on DuckDB).
  await generateLandingBatches({ customers: 150, days: 1, seed: 13, startDate: BUSINESS_DATE, big5Datasets: [], gzipDatasets: [] }, writeToDirectory(extracts));
  expect((await runCurBin(['ingest', 'push', extracts], home)).code).toBe(0);
  spark = await runCurBin(['run', '--engine', 'spark'], home);
  const runId = /run (\S+): /.exec(spark.stdout)?.[1] ?? '';
  sparkRun = JSON.parse(await readFile(join(home, 'lake', 'system', 'runs', `${runId}.json`), 'utf8')) as typeof sparkRun;
  for (const [key, rows] of await manifestRows()) sparkRows.set(key, rows);
}, 600_000);

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(extracts, { recursive: true, force: true });
});

describe('cur run --engine spark on a fresh state folder', () => {
  it('succeeds with every step, mask and plans on Spark, as the run log records', () => {
    expect(spark.code, spark.stderr).toBe(0);
    expect(spark.stdout).toContain('succeeded (mask, transform, consumption and mart on spark)');
    expect(sparkRun.status).toBe('succeeded');
    expect(sparkRun.engines).toEqual({ mask: 'spark', transform: 'spark', consumption: 'spark', mart: 'spark' });
    const kinds = new Set(sparkRun.steps.filter((step) => step.status === 'succeeded').map((step) => step.step));
    expect([...kinds].sort()).toEqual(['consumption', 'dq', 'mart', 'mask', 'serving', 'transform']);
  });

  it('publishes all four layers, each dataset with rows', () => {
    for (const [zone, datasets] of Object.entries(LAYERS)) {
      const published = [...sparkRows].filter(([key]) => key.startsWith(`${zone}/`));
      expect(published, zone).toHaveLength(datasets);
      for (const [key, rows] of published) if (!key.includes('transform_rejects')) expect(rows, key).toBeGreaterThan(0);
    }
  });

  it('leaves no plaintext identifier or other sensitive value of the input in any file outside landing', async () => {
    // The input's values: each sensitive column's cell of every extract, less any value that is also public.
    const sensitive = new Set<string>();
    const publicValues = new Set<string>();
    for (const name of (await readdir(extracts)).filter((file) => file.endsWith('.ctl'))) {
      const control = JSON.parse(await readFile(join(extracts, name), 'utf8')) as { dataset: string; file: string };
      const reader = new CsvRecordReader();
      const [, ...rows] = [...reader.push(await readFile(join(extracts, control.file), 'utf8')), ...reader.end()];
      const columns = getDataset(control.dataset).columns;
      for (const row of rows) {
        columns.forEach((column, i) => {
          const value = (row[i] ?? '').trim();
          if (value.length >= 4) (column.classification === 'public' ? publicValues : sensitive).add(value);
        });
      }
    }
    const canaries = [...sensitive].filter((value) => !publicValues.has(value));
    expect(canaries.length).toBeGreaterThan(500);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const connection = await (await DuckDBInstance.create(':memory:')).connect();
    const scanned: string[] = [];
    const leaks: string[] = [];
    // A value stands alone: a 7-digit ROC date inside a 16-digit card token is a coincidence of random digits.
    const standsAlone = (canary: string): RegExp => new RegExp(`(?<![0-9A-Za-z_-])${canary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![0-9A-Za-z_-])`);
    for (const file of await filesUnder(home)) {
      const where = relative(home, file);
      // Landing (SYSTEM only, emptied once masked), quarantine and the key material are not outputs; dynalite's
      // LevelDB files hold the serving store, checked through the API elsewhere.
      if (['lake/landing', 'lake/quarantine', 'dynamodb', 'keys'].some((prefix) => where.startsWith(prefix))) continue;
      const text = file.endsWith('.parquet') ? JSON.stringify((await connection.runAndReadAll(`SELECT * FROM read_parquet('${file}')`)).getRowObjectsJson()) : await readFile(file, 'utf8');
      scanned.push(where);
      for (const canary of canaries) if (text.includes(canary) && standsAlone(canary).test(text)) leaks.push(`${where}: value of length ${canary.length}`);
    }
    expect(scanned.filter((where) => where.endsWith('.parquet')).length).toBeGreaterThanOrEqual(16);
    expect(leaks).toEqual([]);
  });

  it('publishes the same row counts as DuckDB does for the same date', async () => {
    const duckdb = await runCurBin(['run', '--date', BUSINESS_DATE], home);
    expect(duckdb.code, duckdb.stderr).toBe(0);
    expect(duckdb.stdout).toContain('(mask, transform, consumption and mart on duckdb)');
    expect(Object.fromEntries(await manifestRows())).toEqual(Object.fromEntries(sparkRows));
  }, 300_000);

  it('refuses an unknown engine as a usage error, naming the choices', async () => {
    const refused = await runCurBin(['run', '--engine', 'flink'], home);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("argument 'flink' is invalid. Allowed choices are duckdb, spark.");
  });
});

describe('cur run --engine spark stopped by Ctrl-C', () => {
  it('kills the Spark process and its JVM, exits 130 and says how to resume', async () => {
    // Prepare: the same extracts in a fresh state folder; the run is interrupted once Spark has masked a batch
    const other = await mkdtemp(join(tmpdir(), 'cur-spark-intr-'));
    try {
      expect((await runCurBin(['ingest', 'push', extracts], other)).code).toBe(0);
      const running = startCur(['run', '--engine', 'spark'], other);
      await running.waitFor(/ok\s+mask\s/, 400_000);
      expect(sparkProcessesOf(other).length).toBeGreaterThan(0);

      // Act
      running.kill('SIGINT');
      const { code } = await running.exited;

      // Assess
      expect(code, running.output()).toBe(130);
      expect(running.output()).toContain('resume with: npx cur run');
      let left = sparkProcessesOf(other);
      for (let waited = 0; left.length > 0 && waited < 30_000; waited += 500) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        left = sparkProcessesOf(other);
      }
      expect(left).toEqual([]);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  }, 600_000);
});
