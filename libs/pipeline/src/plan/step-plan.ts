import { z } from 'zod';

/**
 * The plan format: what one pipeline step asks an engine to do. The same JSON runs on DuckDB (`executePlan`, here)
 * and on Spark (`cur_spark.run_plan`, libs/spark-runner). This zod schema mirrors the runner's pydantic models
 * (`libs/spark-runner/src/cur_spark/plan.py`); a test compares it with the committed `plan.schema.json` generated
 * from them, so the two sides cannot drift.
 */

/** The plan format's version. */
export const PLAN_VERSION = 1;

/** A view, input, output or column name: a plain SQL identifier, so no statement needs to quote it. */
export const PlanIdentifierSchema = z.string().max(128).regex(/^[A-Za-z_][A-Za-z0-9_]*$/);

/** One SQL query (`SELECT` or `WITH`) in the plan's dialect. */
const SqlSchema = z.string().min(1).regex(/\S/);

/** A file or folder: a local path, or a URI the engine reads (`s3://` in Glue). */
const LocationSchema = z.string().min(1).regex(/\S/);

/** Parquet files registered as one view; `columns`, when given, must exist and are exactly what the view holds. */
export const ParquetInputSchema = z
  .object({
    format: z.literal('parquet'),
    name: PlanIdentifierSchema,
    paths: z.array(LocationSchema).min(1),
    columns: z.array(PlanIdentifierSchema).min(1).nullable().default(null),
  })
  .strict();

/** One CSV extract registered as a view, every column a string (RFC 4180 quoting). */
export const CsvInputSchema = z
  .object({
    format: z.literal('csv'),
    name: PlanIdentifierSchema,
    path: LocationSchema,
    header: z.boolean(),
    encoding: z.literal('utf-8').default('utf-8'),
    columns: z.array(PlanIdentifierSchema).min(1),
  })
  .strict();

/** A temporary view: the query runs wherever a later statement or output reads it. */
export const ViewStatementSchema = z.object({ kind: z.literal('view'), name: PlanIdentifierSchema, sql: SqlSchema }).strict();

/** A materialised table: the query runs once and is registered under its name. */
export const TableStatementSchema = z.object({ kind: z.literal('table'), name: PlanIdentifierSchema, sql: SqlSchema }).strict();

/** A query written as Parquet to a folder, replacing what the folder held; `singleFile` writes one file. */
export const ParquetOutputSchema = z
  .object({
    name: PlanIdentifierSchema,
    sql: SqlSchema,
    path: LocationSchema,
    format: z.literal('parquet').default('parquet'),
    compression: z.literal('zstd').default('zstd'),
    singleFile: z.boolean().default(true),
  })
  .strict();

/** One pipeline step for one dataset and business date. */
export const StepPlanSchema = z
  .object({
    version: z.literal(PLAN_VERSION),
    step: z.string().max(64).regex(/^[a-z][a-z0-9_-]*$/),
    dataset: PlanIdentifierSchema,
    businessDate: z.iso.date(),
    inputs: z.array(z.discriminatedUnion('format', [ParquetInputSchema, CsvInputSchema])).default([]),
    statements: z.array(z.discriminatedUnion('kind', [ViewStatementSchema, TableStatementSchema])).default([]),
    outputs: z.array(ParquetOutputSchema).min(1),
  })
  .strict()
  .superRefine((plan, ctx) => {
    // Inputs and statements share one view namespace, which ignores case (Spark's); the runner checks the same.
    const duplicates = (what: string, names: readonly string[]): void => {
      const seen = new Set<string>();
      const repeated = new Set<string>();
      for (const name of names.map((n) => n.toLowerCase())) (seen.has(name) ? repeated : seen).add(name);
      if (repeated.size > 0) ctx.addIssue({ code: 'custom', message: `${what} must be unique (case-insensitive): ${[...repeated].sort().join(', ')}` });
    };
    duplicates('input and statement names', [...plan.inputs.map((i) => i.name), ...plan.statements.map((s) => s.name)]);
    duplicates('output names', plan.outputs.map((o) => o.name));
    duplicates('output paths', plan.outputs.map((o) => o.path.replace(/\/+$/, '')));
    for (const input of plan.inputs) if (input.columns) duplicates(`columns of input ${input.name}`, input.columns);
  });

/** A plan as the engines execute it (defaults filled in). */
export type StepPlan = z.infer<typeof StepPlanSchema>;
/** A plan as a renderer writes it (defaults may be left out). */
export type StepPlanInput = z.input<typeof StepPlanSchema>;
/** One input of a plan. */
export type PlanInput = StepPlan['inputs'][number];
/** One statement of a plan. */
export type PlanStatement = StepPlan['statements'][number];
/** One output of a plan. */
export type PlanOutput = StepPlan['outputs'][number];

/** What running a plan produced: each materialised table's rows, each output's rows and files (the runner's `PlanResult`). */
export const PlanResultSchema = z.object({
  step: z.string(),
  dataset: z.string(),
  businessDate: z.iso.date(),
  tables: z.array(z.object({ name: z.string(), rows: z.number().int().nonnegative() })),
  outputs: z.array(z.object({ name: z.string(), path: z.string(), rows: z.number().int().nonnegative(), files: z.array(z.string()) })),
  durationMs: z.number().int().nonnegative(),
});

/** The outcome of one plan. */
export type PlanResult = z.infer<typeof PlanResultSchema>;
