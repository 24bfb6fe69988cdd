import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { StepPlanSchema } from '../../../src/plan/step-plan';

const PLAN_SCHEMA = fileURLToPath(new URL('../../../../spark-runner/plan.schema.json', import.meta.url));

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * A JSON Schema reduced to what constrains a document: references resolved, annotations (titles, descriptions,
 * discriminator hints) dropped, `oneOf`/`anyOf` alike, the type a `const` implies dropped (pydantic says integer,
 * zod number), a date's pattern dropped beside its `format`, and array defaults dropped (pydantic writes no
 * `default_factory` into the schema; both sides fill an empty list).
 */
function normalise(node: Json, defs: Record<string, Json>): Json {
  if (Array.isArray(node)) return node.map((item) => normalise(item, defs));
  if (node === null || typeof node !== 'object') return node;
  const ref = node['$ref'];
  if (typeof ref === 'string') return normalise(defs[ref.replace('#/$defs/', '')] ?? null, defs);
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(node)) {
    if (['title', 'description', '$comment', '$schema', '$defs', 'discriminator'].includes(key)) continue;
    if (key === 'type' && 'const' in node) continue;
    if (key === 'pattern' && node['format'] === 'date') continue;
    if (key === 'default' && Array.isArray(value)) continue;
    out[key === 'anyOf' ? 'oneOf' : key] = normalise(value, defs);
  }
  return out;
}

describe('StepPlanSchema', () => {
  it('says exactly what the Spark runner’s plan.schema.json says', async () => {
    // Prepare
    const committed = JSON.parse(await readFile(PLAN_SCHEMA, 'utf8')) as { $defs: Record<string, Json> } & Record<string, Json>;
    const ours = z.toJSONSchema(StepPlanSchema, { io: 'input' }) as Json;

    // Assess
    expect(normalise(ours, {})).toEqual(normalise(committed, committed.$defs));
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
