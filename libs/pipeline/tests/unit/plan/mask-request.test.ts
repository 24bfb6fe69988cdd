import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MAX_BATCH_VALUES } from '@cur/masking';
import { MaskRequestSchema, MaskResultSchema } from '../../../src/plan/mask-request';

const schemaFile = (name: string): string => fileURLToPath(new URL(`../../../../spark-runner/${name}`, import.meta.url));

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * A JSON Schema reduced to what constrains a document (as in step-plan.test.ts): references resolved, annotations
 * dropped, `anyOf` read as `oneOf`, the type a `const` implies dropped, a date's pattern dropped beside its `format`,
 * array defaults dropped, and zod's safe-integer bounds on an integer dropped (JSON numbers past 2^53 do not survive
 * JSON.parse anyway; pydantic's ints have no bound).
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
    if ((key === 'maximum' && value === Number.MAX_SAFE_INTEGER) || (key === 'minimum' && value === Number.MIN_SAFE_INTEGER)) continue;
    out[key === 'anyOf' ? 'oneOf' : key] = normalise(value, defs);
  }
  return out;
}

async function committed(name: string): Promise<Json> {
  const schema = JSON.parse(await readFile(schemaFile(name), 'utf8')) as { $defs?: Record<string, Json> } & Record<string, Json>;
  return normalise(schema, schema.$defs ?? {});
}

const request = {
  version: 1,
  dataset: 'customer_profile',
  businessDate: '2026-11-25',
  landing: { path: '/lake/landing/customer_profile_20261125.csv.gz', encoding: 'big5', compression: 'gzip', columns: ['cust_id', 'name'], rowCount: 2 },
  maskColumns: [{ column: 'cust_id', tokenize: { dataset: 'customer_profile', column: 'cust_id' } }],
  output: { path: '/scratch/out' },
  tokenize: { url: 'http://127.0.0.1:4000/v1/tokenize', auth: { kind: 'bearer', tokenEnv: 'CUR_KEY_SERVICE_TOKEN' } },
} as const;

describe('MaskRequestSchema', () => {
  it('says exactly what the Spark mask job’s mask-request.schema.json says', async () => {
    const ours = z.toJSONSchema(MaskRequestSchema, { io: 'input' }) as Json;

    expect(normalise(ours, {})).toEqual(await committed('mask-request.schema.json'));
  });

  it('says exactly what the job’s mask-result.schema.json says of its answer', async () => {
    const ours = z.toJSONSchema(MaskResultSchema, { io: 'output' }) as Json;
    const theirs = (await committed('mask-result.schema.json')) as Record<string, Json>;

    // pydantic's serialisation schema lists every field as required and puts no bound on counts: compare the fields.
    expect(normalise(ours, {})).toMatchObject({ type: 'object', required: theirs['required'], additionalProperties: false });
    expect(Object.keys((normalise(ours, {}) as Record<string, Record<string, Json>>)['properties'] ?? {})).toEqual(Object.keys((theirs['properties'] ?? {}) as Record<string, Json>));
  });

  it('fills the API’s batch limit and the job’s timeout, and bounds a batch by the API’s MAX_BATCH_VALUES', () => {
    const parsed = MaskRequestSchema.parse(request);

    expect([parsed.tokenize.batchValues, parsed.tokenize.timeoutSeconds, parsed.tokenize.batchValues]).toEqual([MAX_BATCH_VALUES, 60, MAX_BATCH_VALUES]);
    expect(MaskRequestSchema.safeParse({ ...request, tokenize: { ...request.tokenize, batchValues: MAX_BATCH_VALUES + 1 } }).success).toBe(false);
  });

  it('refuses what the job refuses: a gzip flag the name contradicts, a mask column the file lacks, a reserved column', () => {
    const issues = (value: unknown): string[] => MaskRequestSchema.safeParse(value).error?.issues.map((issue) => issue.message) ?? [];

    expect(issues({ ...request, landing: { ...request.landing, compression: 'none' } })).toEqual(['landing.path must end with .gz exactly when compression is gzip']);
    expect(issues({ ...request, maskColumns: [{ column: 'mobile', tokenize: { dataset: 'x', column: 'y' } }] })).toEqual(['maskColumns name columns the file lacks: mobile']);
    expect(issues({ ...request, landing: { ...request.landing, columns: ['cust_id', 'source_row'] } })).toEqual(['landing.columns must not name source_row: the raw file adds it']);
  });
});
