import { describe, expect, it } from 'vitest';
import { StepPlanSchema } from '../../../src/plan/step-plan';
import { comparableJsonSchemas } from '../../helpers/json-schema';

describe('StepPlanSchema', () => {
  it('says exactly what the Spark runner’s plan.schema.json says', async () => {
    // Prepare
    const { ours, committed } = await comparableJsonSchemas(StepPlanSchema, 'plan.schema.json');

    // Assess
    expect(ours).toEqual(committed);
  });

  it('refuses what the runner refuses: names repeated across inputs and statements, whatever their case', () => {
    const plan = {
      version: 1, step: 'mart', dataset: 'tag_metrics_monthly', businessDate: '2026-11-25',
      inputs: [{ format: 'parquet', name: 'features', paths: ['/lake/a.parquet'] }],
      statements: [{ kind: 'view', name: 'Features', sql: 'SELECT 1 AS x' }],
      outputs: [{ name: 'out', sql: 'SELECT * FROM Features', path: '/tmp/out' }],
    };

    const parsed = StepPlanSchema.safeParse(plan);

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message)).toEqual(['input and statement names must be unique (case-insensitive): features']);
  });

  it('fills the runner’s defaults: one zstd Parquet file per output, no statements', () => {
    const plan = StepPlanSchema.parse({ version: 1, step: 'mart', dataset: 'x', businessDate: '2026-11-25', outputs: [{ name: 'x', sql: 'SELECT 1 AS a', path: '/tmp/x' }] });

    expect(plan.outputs[0]).toMatchObject({ format: 'parquet', compression: 'zstd', singleFile: true });
    expect([plan.inputs, plan.statements]).toEqual([[], []]);
  });

  it('refuses unknown fields and an impossible business date', () => {
    const base = { version: 1, step: 'mart', dataset: 'x', outputs: [{ name: 'x', sql: 'SELECT 1 AS a', path: '/tmp/x' }] };

    expect(StepPlanSchema.safeParse({ ...base, businessDate: '2026-02-30' }).success).toBe(false);
    expect(StepPlanSchema.safeParse({ ...base, businessDate: '2026-02-28', engine: 'duckdb' }).success).toBe(false);
  });
});
