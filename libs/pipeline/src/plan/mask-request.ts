import { z } from 'zod';
import { MAX_BATCH_VALUES } from '@cur/masking';
import { PlanIdentifierSchema } from './step-plan';

/**
 * The mask request: what the Spark mask job (`cur_spark.mask.run_mask`, libs/spark-runner) is asked to do with one
 * landing batch. What to mask with which column is decided here, from the masking policy; the job only follows the
 * list. This zod schema mirrors the job's pydantic models (`libs/spark-runner/src/cur_spark/mask_request.py`); a test
 * compares it with the committed `mask-request.schema.json` generated from them, so the two sides cannot drift.
 */

/** The mask request format's version. */
export const MASK_REQUEST_VERSION = 1;

const LocationSchema = z.string().min(1).regex(/\S/);
const ApiNameSchema = z.string().min(1).max(64);

/** The landing CSV as its control file describes it: RFC 4180, a header row naming `columns` in order. */
export const MaskLandingFileSchema = z
  .object({
    path: LocationSchema,
    encoding: z.enum(['utf-8', 'big5']),
    compression: z.enum(['none', 'gzip']),
    columns: z.array(PlanIdentifierSchema).min(1),
    rowCount: z.int().min(0),
  })
  .strict()
  .refine((landing) => (landing.compression === 'gzip') === landing.path.endsWith('.gz'), { message: 'landing.path must end with .gz exactly when compression is gzip' });

/** A column whose distinct non-null values are replaced by what the tokenize API returns for `tokenize`'s column. */
export const MaskColumnSchema = z.object({ column: PlanIdentifierSchema, tokenize: z.object({ dataset: ApiNameSchema, column: ApiNameSchema }).strict() }).strict();

/** A bearer credential in the job's environment (locally: the loopback key service's per-run credential). */
export const BearerAuthSchema = z.object({ kind: z.literal('bearer'), tokenEnv: z.string().max(128).regex(/^[A-Z_][A-Z0-9_]*$/) }).strict();

/** AWS Signature Version 4 as the job's IAM role, for the route behind IAM auth in AWS (a function URL or API route). */
export const SigV4AuthSchema = z
  .object({ kind: z.literal('sigv4'), region: z.string().max(32).regex(/^[a-z]{2}(-[a-z]+)+-[0-9]$/), service: z.enum(['lambda', 'execute-api']) })
  .strict();

/** Where `POST /v1/tokenize` answers and how the job authenticates: a bearer credential, or SigV4 in AWS. */
export const TokenizeEndpointSchema = z
  .object({
    url: z.string().max(2048).regex(/^https?:[/][/][^\s]+$/),
    batchValues: z.int().min(1).max(MAX_BATCH_VALUES).default(MAX_BATCH_VALUES),
    timeoutSeconds: z.number().positive().max(900).default(60),
    auth: z.discriminatedUnion('kind', [BearerAuthSchema, SigV4AuthSchema]),
  })
  .strict();

/** One landing batch to mask into one raw Parquet file (a folder the job writes one zstd file into). */
export const MaskRequestSchema = z
  .object({
    version: z.literal(MASK_REQUEST_VERSION),
    dataset: PlanIdentifierSchema,
    businessDate: z.iso.date(),
    landing: MaskLandingFileSchema,
    maskColumns: z.array(MaskColumnSchema).default([]),
    output: z.object({ path: LocationSchema }).strict(),
    tokenize: TokenizeEndpointSchema,
  })
  .strict()
  .superRefine((request, ctx) => {
    const names = request.landing.columns.map((c) => c.toLowerCase());
    if (new Set(names).size !== names.length) ctx.addIssue({ code: 'custom', message: 'landing.columns must be unique (case-insensitive)' });
    const reserved = ['business_date', 'source_row'].filter((c) => names.includes(c));
    if (reserved.length > 0) ctx.addIssue({ code: 'custom', message: `landing.columns must not name ${reserved.join(', ')}: the raw file adds it` });
    const masked = request.maskColumns.map((m) => m.column);
    if (new Set(masked.map((c) => c.toLowerCase())).size !== masked.length) ctx.addIssue({ code: 'custom', message: 'maskColumns must name each column once' });
    const unknown = masked.filter((c) => !request.landing.columns.includes(c));
    if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `maskColumns name columns the file lacks: ${unknown.join(', ')}` });
  });

/** A mask request as the job reads it (defaults filled in). */
export type MaskRequest = z.infer<typeof MaskRequestSchema>;
/** A mask request as it is rendered (defaults may be left out). */
export type MaskRequestInput = z.input<typeof MaskRequestSchema>;

/** What the mask job wrote (the job's `MaskResult`): rows, each masked column, key versions, the Parquet file(s). */
export const MaskResultSchema = z
  .object({
    dataset: z.string(),
    businessDate: z.iso.date(),
    rowsIn: z.int().nonnegative(),
    rowsOut: z.int().nonnegative(),
    columns: z.array(z.object({ column: z.string(), distinctValues: z.int().nonnegative(), batches: z.int().nonnegative(), keyVersion: z.int().positive().nullable() }).strict()),
    keyVersions: z.record(z.string(), z.int().positive()),
    outputPath: z.string(),
    files: z.array(z.string()),
    durationMs: z.int().nonnegative(),
  })
  .strict();

/** The outcome of one mask job. */
export type MaskResult = z.infer<typeof MaskResultSchema>;
