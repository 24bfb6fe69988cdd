import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, isCurError } from '@cur/platform';
import { DuckDbSqlEngine, SparkProcess } from '../../src/index';

/**
 * The Spark process client against the real server (`python -m cur_spark.jobs.serve` of libs/spark-runner, a real
 * JVM): requests in order in one process, coded errors, clean close, kill on abort. No mock: the test target depends
 * on python-env:setup, which makes the workspace's Python environment.
 */

const PYTHON = fileURLToPath(new URL('../../../../.venv/bin/python', import.meta.url));

let work: string;
let input: string;

beforeAll(async () => {
  expect(existsSync(PYTHON), `no Python environment at ${PYTHON}: run npx nx run python-env:setup`).toBe(true);
  work = await mkdtemp(join(tmpdir(), 'cur-spark-process-'));
  input = join(work, 'customers.parquet');
  const engine = await DuckDbSqlEngine.open({ threads: 1 });
  await engine.writeParquet("SELECT * FROM (VALUES ('T001', 'B01', 3), ('T002', 'B02', 5), ('T003', 'B01', 8)) AS t(cust_id, branch_code, score)", input);
  await engine.close();
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const planFor = (name: string, sql: string) => ({
  version: 1,
  step: 'mart',
  dataset: name,
  businessDate: '2026-11-25',
  inputs: [{ format: 'parquet', name: 'customers', paths: [input], columns: null }],
  statements: [{ kind: 'table', name: 'scored', sql: 'SELECT branch_code, score FROM customers' }],
  outputs: [{ name, sql, path: join(work, 'out', name), format: 'parquet', compression: 'zstd', singleFile: true }],
});

const isRunning = (pid: number | undefined): boolean => {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('SparkProcess', () => {
  it('starts on the first request, answers every request in order in one process, keeps the server’s codes, and closes cleanly', async () => {
    const logs: string[] = [];
    const spark = new SparkProcess({ python: PYTHON, workDir: join(work, 'spark-a'), onLog: (line) => logs.push(line) });
    expect(spark.pid).toBeUndefined();
    try {
      // Act: two plans sent at once (serialised by the client), an unknown kind, a failing plan
      const [first, second] = await Promise.all([
        spark.request('plan', { plan: planFor('by_branch', 'SELECT branch_code, sum(score) AS score FROM scored GROUP BY branch_code ORDER BY branch_code') }),
        spark.request('plan', { plan: planFor('all_rows', 'SELECT * FROM scored ORDER BY score') }),
      ]);
      const pid = spark.pid;
      const unknown = await spark.request('detokenize', { values: ['A123456789'] }).catch((error: unknown) => error);
      const failed = await spark.request('plan', { plan: planFor('broken', 'SELECT * FROM nowhere') }).catch((error: unknown) => error);
      const after = await spark.request('plan', { plan: planFor('after_failure', 'SELECT count(*) AS n FROM scored') });

      // Assess
      expect(first).toMatchObject({ dataset: 'by_branch', tables: [{ name: 'scored', rows: 3 }], outputs: [{ name: 'by_branch', rows: 2 }] });
      expect(second).toMatchObject({ dataset: 'all_rows', outputs: [{ name: 'all_rows', rows: 3 }] });
      expect(after).toMatchObject({ outputs: [{ rows: 1 }] });
      expect(isCurError(unknown, 'SPARK_REQUEST_KIND_UNKNOWN')).toBe(true);
      expect((unknown as Error).message).not.toContain('A123456789');
      expect(isCurError(failed, 'PLAN_EXECUTION_FAILED')).toBe(true);
      expect((failed as Error).message).toContain('output broken');
      expect(spark.pid).toBe(pid);
      expect(isRunning(pid)).toBe(true);
    } finally {
      await spark.close();
    }
    expect(isRunning(spark.pid)).toBe(false);
    expect(logs.some((line) => line.includes('end of input after 5 request(s)'))).toBe(true);
    // Logs name requests, never the rows.
    expect(logs.join('\n')).not.toMatch(/T00[123]/);
    const late = await spark.request('plan', { plan: planFor('late', 'SELECT 1 AS one') }).catch((error: unknown) => error);
    expect(isCurError(late, 'SPARK_PROCESS_CLOSED')).toBe(true);
  }, 300_000);

  it('is killed when the signal fires: the request under way rejects as cancelled and later ones are not sent', async () => {
    const controller = new AbortController();
    const spark = new SparkProcess({ python: PYTHON, workDir: join(work, 'spark-b'), signal: controller.signal, stopTimeoutMs: 5_000 });
    const underWay = spark.request('plan', { plan: planFor('slow', 'SELECT * FROM scored') }).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const pid = spark.pid;
    expect(isRunning(pid)).toBe(true);

    controller.abort(new CancelledError('cancelled by SIGINT'));

    const error = await underWay;
    expect(error).toBeInstanceOf(CancelledError);
    await spark.close();
    expect(isRunning(pid)).toBe(false);
    expect(await spark.request('plan', { plan: planFor('next', 'SELECT 1 AS one') }).catch((e: unknown) => e)).toBeInstanceOf(CancelledError);
  }, 120_000);

  it('kills the whole process group: a server that ignores SIGTERM and whose child holds its pipes still ends', async () => {
    // Stands in for a Python whose JVM outlives it: without the group kill, 'close' never comes and this hangs.
    const modules = join(work, 'modules');
    await mkdir(modules, { recursive: true });
    await writeFile(
      join(modules, 'holds_pipes.py'),
      ['import signal, subprocess, time', 'signal.signal(signal.SIGTERM, signal.SIG_IGN)', "subprocess.Popen(['sleep', '600'])", 'time.sleep(600)', ''].join('\n'),
    );
    const controller = new AbortController();
    const spark = new SparkProcess({ python: PYTHON, workDir: join(work, 'spark-e'), module: 'holds_pipes', env: { ...process.env, PYTHONPATH: modules }, signal: controller.signal, stopTimeoutMs: 500 });
    const underWay = spark.request('plan', { plan: planFor('never', 'SELECT 1 AS one') }).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    controller.abort(new CancelledError('cancelled by SIGINT'));
    expect(await underWay).toBeInstanceOf(CancelledError);
    await spark.close();
  }, 60_000);

  it('fails with SPARK_PROCESS_START_FAILED naming the interpreter when Python is missing', async () => {
    const python = join(work, 'no-such-python');
    const spark = new SparkProcess({ python, workDir: join(work, 'spark-c') });
    const error = await spark.request('plan', { plan: planFor('x', 'SELECT 1 AS one') }).catch((e: unknown) => e);
    expect(isCurError(error, 'SPARK_PROCESS_START_FAILED')).toBe(true);
    expect((error as Error).message).toContain(python);
    await spark.close();
  });

  it('fails with SPARK_PROCESS_EXITED when the process ends before answering', async () => {
    // A module that is not the server: it refuses --work-dir and exits 2 at once.
    const spark = new SparkProcess({ python: PYTHON, workDir: join(work, 'spark-d'), module: 'json.tool' });
    const error = await spark.request('plan', { plan: planFor('x', 'SELECT 1 AS one') }).catch((e: unknown) => e);
    expect(isCurError(error, 'SPARK_PROCESS_EXITED')).toBe(true);
    expect((error as Error).message).toContain('code 2');
    await spark.close();
  });
});
