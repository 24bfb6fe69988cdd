import { describe, expect, it } from 'vitest';
import { MAX_BATCH_VALUES } from '@cur/masking';
import { MaskRequestSchema, MaskResultSchema } from '../../../src/plan/mask-request';
import { comparableJsonSchemas, type Json } from '../../helpers/json-schema';

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
    const { ours, committed } = await comparableJsonSchemas(MaskRequestSchema, 'mask-request.schema.json');

    expect(ours).toEqual(committed);
  });

  it('says exactly what the job’s mask-result.schema.json says of its answer', async () => {
    const { ours, committed } = await comparableJsonSchemas(MaskResultSchema, 'mask-result.schema.json', 'output');
    const theirs = committed as Record<string, Json>;

    // pydantic's serialisation schema lists every field as required and puts no bound on counts: compare the fields.
    expect(ours).toMatchObject({ type: 'object', required: theirs['required'], additionalProperties: false });
    expect(Object.keys((ours as Record<string, Record<string, Json>>)['properties'] ?? {})).toEqual(Object.keys((theirs['properties'] ?? {}) as Record<string, Json>));
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
