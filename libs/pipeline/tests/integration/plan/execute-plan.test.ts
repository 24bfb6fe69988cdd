import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbSqlEngine } from '@cur/adapters-local';
import type { SqlEngine } from '@cur/platform';
import { executePlan, PLAN_OUTPUT_FILE, type StepPlanInput } from '../../../src/index';

let engine: SqlEngine;
let dir: string;
let customers: string;

beforeAll(async () => {
  engine = await DuckDbSqlEngine.open({ threads: 1 });
  dir = await mkdtemp(join(tmpdir(), 'cur-plan-'));
  customers = join(dir, 'customers.parquet');
  await engine.writeParquet(`SELECT * FROM (VALUES ('C1', 'B01', 1980), ('C2', 'B02', 1999), ('C3', 'B01', 2004)) AS t(cust_id, branch_code, birth_year)`, customers);
});
afterAll(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

function plan(overrides: Partial<StepPlanInput> = {}): StepPlanInput {
  return {
    version: 1,
    step: 'mart',
    dataset: 'branch_customers',
    businessDate: '2026-11-25',
    inputs: [{ format: 'parquet', name: 'customers', paths: [customers], columns: ['cust_id', 'branch_code'] }],
    statements: [
      { kind: 'view', name: 'b01', sql: "SELECT * FROM customers WHERE branch_code = 'B01'" },
      { kind: 'table', name: 'per_branch', sql: 'SELECT branch_code, COUNT(*) AS customers FROM customers GROUP BY branch_code' },
    ],
    outputs: [
      { name: 'branch_customers', sql: 'SELECT * FROM per_branch ORDER BY branch_code', path: join(dir, 'out', 'branch_customers') },
      { name: 'b01_customers', sql: 'SELECT cust_id FROM b01 ORDER BY cust_id', path: join(dir, 'out', 'b01') },
    ],
    ...overrides,
  };
}

async function viewsAndTables(): Promise<string[]> {
  const rows = await engine.query(`SELECT table_name FROM information_schema.tables ORDER BY table_name`);
  return rows.map((row) => String(row['table_name']));
}

describe('executePlan on DuckDB', () => {
  it('runs inputs, views, tables and outputs in order and reports what it wrote', async () => {
    // Prepare: a stale file in an output folder, which the output replaces
    await mkdir(join(dir, 'out', 'b01'), { recursive: true });
    await writeFile(join(dir, 'out', 'b01', 'stale.parquet'), 'old');

    // Act
    const result = await executePlan(engine, plan());

    // Assess
    expect(result).toMatchObject({ step: 'mart', dataset: 'branch_customers', businessDate: '2026-11-25', tables: [{ name: 'per_branch', rows: 2 }] });
    expect(result.outputs.map((o) => [o.name, o.rows, o.files])).toEqual([
      ['branch_customers', 2, [join(dir, 'out', 'branch_customers', PLAN_OUTPUT_FILE)]],
      ['b01_customers', 2, [join(dir, 'out', 'b01', PLAN_OUTPUT_FILE)]],
    ]);
    expect(await readdir(join(dir, 'out', 'b01'))).toEqual([PLAN_OUTPUT_FILE]);
    // The port returns BIGINT values as text.
    expect(await engine.query(`SELECT * FROM read_parquet('${join(dir, 'out', 'branch_customers', PLAN_OUTPUT_FILE)}')`)).toEqual([
      { branch_code: 'B01', customers: '2' },
      { branch_code: 'B02', customers: '1' },
    ]);
  });

  it('keeps exactly the input columns the plan names, and drops every view and table it made', async () => {
    const result = await executePlan(engine, plan({ statements: [], outputs: [{ name: 'cols', sql: 'SELECT * FROM customers', path: join(dir, 'out', 'cols') }] }));

    const [file = ''] = result.outputs[0]?.files ?? [];
    expect(Object.keys((await engine.query(`SELECT * FROM read_parquet('${file}') LIMIT 1`))[0] ?? {})).toEqual(['cust_id', 'branch_code']);
    expect(await viewsAndTables()).toEqual([]);
  });

  it('names an input’s missing columns with a code, and leaves nothing behind', async () => {
    const bad = plan({ inputs: [{ format: 'parquet', name: 'customers', paths: [customers], columns: ['cust_id', 'segment', 'income'] }] });

    await expect(executePlan(engine, bad)).rejects.toMatchObject({ code: 'PLAN_INPUT_COLUMNS_MISSING', message: expect.stringContaining('lacks column(s) segment, income') });
    expect(await viewsAndTables()).toEqual([]);
  });

  it('names the statement that failed, keeps the engine’s error code, and drops what was made before it', async () => {
    const bad = plan({ statements: [{ kind: 'view', name: 'b01', sql: 'SELECT * FROM customers' }, { kind: 'table', name: 'broken', sql: 'SELECT * FROM nowhere' }] });

    const error = await executePlan(engine, bad).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'ADAPTER_FAILURE', message: expect.stringMatching(/^statement 2 of 2 \(table broken\) of step mart, dataset branch_customers, business date 2026-11-25: /) });
    expect(await viewsAndTables()).toEqual([]);
  });

  it('refuses an invalid plan, and what it cannot run here (CSV inputs, URIs), before touching the engine', async () => {
    await expect(executePlan(engine, plan({ outputs: [] }))).rejects.toMatchObject({ code: 'PLAN_INVALID', message: expect.stringContaining('outputs:') });
    await expect(executePlan(engine, plan({ inputs: [{ format: 'csv', name: 'customers', path: join(dir, 'x.csv'), header: true, columns: ['cust_id'] }] }))).rejects.toMatchObject({ code: 'PLAN_UNSUPPORTED' });
    await expect(executePlan(engine, plan({ inputs: [{ format: 'parquet', name: 'customers', paths: ['s3://lake/x.parquet'] }] }))).rejects.toMatchObject({ code: 'PLAN_UNSUPPORTED' });
    expect(await viewsAndTables()).toEqual([]);
  });
});
