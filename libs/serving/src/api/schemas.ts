import { z } from 'zod';
import type { ColumnSpec } from '@cur/contracts';
import { getDataset } from '@cur/contracts';
import { CUSTOMER_TOKEN_PATTERN, MAX_BATCH_TOKENS, MAX_PAGE_LENGTH, MONTH_PATTERN, SEGMENT_ID_PATTERN, TAG_NAME_PATTERN } from '../constants';
import { isValidNationalId } from './national-id';

/**
 * The retrieval API's request and response shapes. The handler validates with them and the OpenAPI document is
 * generated from them, so the two cannot drift. Messages name the rule, never the value.
 */

/** A customer token (masked): the FF1 token of a national ID, or a sealed `v<n>.<base64url>` token. */
export const CustomerTokenSchema = z.string().regex(CUSTOMER_TOKEN_PATTERN, 'must be a customer token: a letter, 1/2/8/9 and eight digits, or v<n>.<base64url>').meta({ examples: ['Q204718365'] });

/** A tag name in a path. */
export const TagNameSchema = z.string().regex(TAG_NAME_PATTERN, 'must be a tag name: lower-case letters, digits and underscores').meta({ examples: ['high_value'] });
/** A segment id in a path. */
export const SegmentIdSchema = z.string().regex(SEGMENT_ID_PATTERN, 'must be a segment id such as MASS_AFFLUENT').meta({ examples: ['MASS_AFFLUENT'] });
/** A month in a query. */
export const MonthSchema = z.string().regex(MONTH_PATTERN, 'must be a month, YYYY-MM').meta({ examples: ['2026-11'] });

const RevealSchema = z.enum(['true', 'false']).optional().describe('SYSTEM only: add the national ID behind each token, through the audited masking-key-service');

/** Path parameters of `GET /v1/customers/{token}/tags`. */
export const CustomerPathSchema = z.object({ token: CustomerTokenSchema }).strict();
/** Path parameters of `GET /v1/tags/{name}/customers`. */
export const TagPathSchema = z.object({ name: TagNameSchema }).strict();
/** Path parameters of `GET /v1/segments/{id}/metrics`. */
export const SegmentPathSchema = z.object({ id: SegmentIdSchema }).strict();

/** The query of the customer routes: only `reveal`. */
export const RevealQuerySchema = z.object({ reveal: RevealSchema }).strict();
/** The query of `GET /v1/tags/{name}/customers`. */
export const TagCustomersQuerySchema = z
  .object({
    cursor: z.string().min(1).max(4096).optional().describe('the nextCursor of the previous page'),
    // The pattern is 1 to 1000 exactly, so the OpenAPI document says what the handler accepts (a test pins it to MAX_PAGE_LENGTH).
    limit: z
      .string()
      .regex(/^(?:[1-9]\d{0,2}|1000)$/, `must be a whole number from 1 to ${MAX_PAGE_LENGTH}`)
      .optional()
      .describe(`page length, 1 to ${MAX_PAGE_LENGTH} (default 100)`),
    reveal: RevealSchema,
  })
  .strict();
/** The query of `GET /v1/segments/{id}/metrics`. */
export const SegmentMetricsQuerySchema = z.object({ month: MonthSchema.optional().describe('the month; default the latest served') }).strict();
/** Routes that take no query parameters. */
export const NoQuerySchema = z.object({}).strict();

/** `POST /v1/customers/lookup`: a plaintext national ID an application has from its own user. Never logged or echoed. */
export const LookupBodySchema = z
  .object({
    nationalId: z
      .string()
      // The shape in the document; the check digit, which JSON Schema cannot express, in the refinement.
      .regex(/^[A-Z][1289]\d{8}$/, 'must be a national ID: an upper-case letter, 1/2/8/9, eight digits, with a valid check digit')
      .refine(isValidNationalId, 'must be a national ID: an upper-case letter, 1/2/8/9, eight digits, with a valid check digit')
      .meta({ examples: ['A123456789'], writeOnly: true }),
  })
  .strict();

/** `POST /v1/customers:batchGet`: up to 100 tokens. */
export const BatchGetBodySchema = z.object({ tokens: z.array(CustomerTokenSchema).min(1).max(MAX_BATCH_TOKENS) }).strict();

function columnSchema(column: ColumnSpec): z.ZodType {
  const base = /^(int|bigint|double|decimal)/.test(column.type) ? z.number() : column.type === 'boolean' ? z.boolean() : z.string();
  return base.nullable().optional().describe(column.description);
}

function columnsObject(dataset: string, skip: readonly string[]) {
  const columns = getDataset(dataset).columns.filter((column) => !skip.includes(column.name));
  return z.object(Object.fromEntries(columns.map((column) => [column.name, columnSchema(column)]))).strict();
}

const AsOfSchema = z.iso.date().describe('the business date of the consumption layer served');

/** A customer as a role sees it: each column shaped by the masking policy; a column the role may not see is absent. */
export const CustomerSchema = z
  .object({
    token: CustomerTokenSchema.optional().describe('the customer token (customer_features.cust_id)'),
    nationalId: z.string().optional().describe('SYSTEM with reveal=true only: the national ID behind the token'),
    asOf: AsOfSchema,
    segment: z.string().optional().describe('value segment'),
    tags: z.array(z.string()).optional().describe('the tags the customer carries'),
    modelTags: z
      .array(z.object({ tag: z.string(), modelVersion: z.string() }).strict())
      .optional()
      .describe('the model-based tags among tags, each with the model version whose score gave it (consumption.model_tags)'),
    features: columnsObject('customer_features', ['cust_id', 'segment']).describe('key features (customer_features)'),
  })
  .strict();

/** The answer of `POST /v1/customers:batchGet`. */
export const BatchGetResponseSchema = z
  .object({ asOf: AsOfSchema, customers: z.array(CustomerSchema), notFound: z.array(z.string()).describe('tokens with no customer in the served version') })
  .strict();

/** The answer of `GET /v1/tags`. */
export const TagsResponseSchema = z
  .object({
    asOf: AsOfSchema,
    tags: z.array(z.object({ name: z.string(), customers: z.number().int().nonnegative(), description: z.string().optional(), owner: z.string().optional() }).strict()),
  })
  .strict();

/** The answer of `GET /v1/tags/{name}/customers`. */
export const TagCustomersResponseSchema = z
  .object({
    tag: z.string(),
    asOf: AsOfSchema,
    customers: z.array(z.object({ token: z.string().optional(), nationalId: z.string().optional() }).strict()),
    nextCursor: z.string().optional().describe('pass as ?cursor= for the next page; absent on the last page'),
  })
  .strict();

/** The answer of `GET /v1/segments/{id}/metrics`. */
export const SegmentMetricsResponseSchema = z
  .object({
    segment: z.string(),
    month: z.string(),
    asOf: AsOfSchema,
    businessDate: z.iso.date().describe('the mart partition the month was read from'),
    metrics: columnsObject('segment_metrics_monthly', ['segment', 'month']),
  })
  .strict();

/** RFC 9457 problem details, with the stable `code` clients switch on. */
export const ProblemSchema = z
  .object({ type: z.string(), title: z.string(), status: z.number().int(), code: z.string(), detail: z.string().optional() });

/** A customer as served. */
export type CustomerResponse = z.infer<typeof CustomerSchema>;
