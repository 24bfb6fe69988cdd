import { z } from 'zod';
import { DEFAULT_LANDING_CSV_LIMITS, LandingCsvLimitsOverrideSchema, LandingCsvLimitsSchema } from './landing/landing-limits';
import { ZONES } from './zones';

/**
 * How sensitive a column is. The policy lib turns this into a treatment per role:
 * `public` plaintext, `quasi` generalised, `direct` deterministic token, `secret` dropped for humans.
 */
export const CLASSIFICATIONS = ['public', 'quasi', 'direct', 'secret'] as const;

/** One classification. */
export type Classification = (typeof CLASSIFICATIONS)[number];

/** Classifications whose values must never reach a log line, error message or human role in plaintext. */
export const SENSITIVE_CLASSIFICATIONS = ['quasi', 'direct', 'secret'] as const satisfies readonly Classification[];

/** Logical column types; the names are the Hive/Glue/Spark SQL type names so catalogs derive from them unchanged. */
export const ColumnTypeSchema = z.union([
  z.enum(['string', 'int', 'bigint', 'double', 'boolean', 'date', 'timestamp']),
  z.templateLiteral(['decimal(', z.number().int().min(1).max(38), ',', z.number().int().min(0).max(38), ')']),
]);

/** A logical column type. */
export type ColumnType = z.infer<typeof ColumnTypeSchema>;

/**
 * What an identifier or quasi-identifier is. Masking picks its method from this (a national ID keeps its format),
 * and cleanup picks its parser.
 */
export const SEMANTICS = [
  'national_id',
  'person_name',
  'mobile',
  'email',
  'address',
  'birth_date',
  'account_number',
  'card_number',
  'device_id',
  'ip_address',
] as const;

/** One semantic kind. */
export type Semantic = (typeof SEMANTICS)[number];

/** How quasi-identifiers are generalised for human roles. */
export const GENERALISERS = ['birth_year', 'age_band', 'city_district', 'year_month'] as const;

/** One generaliser. */
export type Generaliser = (typeof GENERALISERS)[number];

/** How a value is written in a landing CSV when it is not plain text. */
export const SOURCE_FORMATS = ['roc_date', 'roc_datetime', 'iso_date', 'iso_datetime', 'decimal', 'integer'] as const;

/** One source format. */
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

const snakeCase = z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case');

/** One column of a dataset. */
export const ColumnSpecSchema = z
  .object({
    name: snakeCase,
    type: ColumnTypeSchema,
    nullable: z.boolean(),
    classification: z.enum(CLASSIFICATIONS),
    description: z.string().min(1),
    semantic: z.enum(SEMANTICS).optional(),
    generaliser: z.enum(GENERALISERS).optional(),
    sourceFormat: z.enum(SOURCE_FORMATS).optional(),
    allowedValues: z.array(z.string()).nonempty().optional(),
    range: z.object({ min: z.number(), max: z.number() }).optional(),
    /**
     * The longest value of a `string` column, in characters (a Chinese character counts one). Stores with typed text
     * columns size them from it: Oracle `VARCHAR2(n CHAR)`, the DMS source table's `ColumnLength`. Required for the
     * string columns of datasets replicated to Oracle (libs/replication checks it).
     */
    maxLength: z.number().int().min(1).max(4000).optional(),
  })
  .strict()
  .refine((column) => column.maxLength === undefined || column.type === 'string', {
    message: 'maxLength applies to string columns only',
    path: ['maxLength'],
  })
  .refine((column) => column.classification !== 'quasi' || column.generaliser !== undefined, {
    message: 'a quasi column must declare its generaliser',
    path: ['generaliser'],
  })
  .refine((column) => column.classification !== 'direct' || column.semantic !== undefined, {
    message: 'a direct column must declare its semantic kind so masking can pick a method',
    path: ['semantic'],
  });

/** One column of a dataset. */
export type ColumnSpec = z.infer<typeof ColumnSpecSchema>;

/** A column that exists only from the raw zone on, derived from the batch (e.g. the business date partition). */
export const PartitionColumnSchema = z.object({ name: snakeCase, type: ColumnTypeSchema, description: z.string() }).strict();

/** A declared join from this dataset to another's key. */
export const ReferenceSchema = z.object({ column: snakeCase, dataset: snakeCase, targetColumn: snakeCase }).strict();

/** The single declaration of a dataset: everything else (policy, catalog, DDL, lineage, API types) derives from it. */
export const DatasetSpecSchema = z
  .object({
    name: snakeCase,
    description: z.string().min(1),
    owner: z.string().min(1),
    schemaVersion: z.number().int().positive(),
    zones: z.array(z.enum(ZONES)).nonempty(),
    columns: z.array(ColumnSpecSchema).nonempty(),
    primaryKey: z.array(snakeCase).nonempty(),
    partitionColumns: z.array(PartitionColumnSchema),
    references: z.array(ReferenceSchema).default([]),
    /** Field and record length limits of this dataset's landing files, over the landing contract's defaults. */
    landingLimits: LandingCsvLimitsOverrideSchema.optional(),
    /**
     * The quasi-identifier set: the columns that, combined, could single a customer out to someone who knows them from
     * elsewhere (birth year, gender, district, branch, when the relationship started). Every `quasi` column must be
     * listed; a `public` column is listed when it identifies in combination. The k-anonymity check groups by them.
     */
    quasiIdentifiers: z.array(snakeCase).default([]),
  })
  .strict()
  .superRefine((dataset, ctx) => {
    const names = dataset.columns.map((column) => column.name);
    for (const name of dataset.quasiIdentifiers) {
      const column = dataset.columns.find((candidate) => candidate.name === name);
      if (!column) ctx.addIssue({ code: 'custom', message: `quasi-identifier '${name}' is not a column`, path: ['quasiIdentifiers'] });
      else if (column.classification === 'direct' || column.classification === 'secret') {
        ctx.addIssue({ code: 'custom', message: `quasi-identifier '${name}' is ${column.classification}: identifiers are tokenized or dropped, not counted`, path: ['quasiIdentifiers'] });
      }
    }
    if (new Set(dataset.quasiIdentifiers).size !== dataset.quasiIdentifiers.length) ctx.addIssue({ code: 'custom', message: 'a quasi-identifier is listed twice', path: ['quasiIdentifiers'] });
    for (const column of dataset.columns) {
      if (column.classification === 'quasi' && !dataset.quasiIdentifiers.includes(column.name)) {
        ctx.addIssue({ code: 'custom', message: `quasi column '${column.name}' must be in quasiIdentifiers`, path: ['quasiIdentifiers'] });
      }
    }
    const seen = new Set<string>();
    for (const name of [...names, ...dataset.partitionColumns.map((column) => column.name)]) {
      if (seen.has(name)) ctx.addIssue({ code: 'custom', message: `duplicate column '${name}'`, path: ['columns'] });
      seen.add(name);
    }
    for (const key of dataset.primaryKey) {
      if (!names.includes(key)) ctx.addIssue({ code: 'custom', message: `primary key '${key}' is not a column`, path: ['primaryKey'] });
    }
    for (const reference of dataset.references) {
      if (!names.includes(reference.column)) {
        ctx.addIssue({ code: 'custom', message: `reference column '${reference.column}' is not a column`, path: ['references'] });
      }
    }
    if (dataset.landingLimits && !LandingCsvLimitsSchema.safeParse({ ...DEFAULT_LANDING_CSV_LIMITS, ...dataset.landingLimits }).success) {
      ctx.addIssue({ code: 'custom', message: 'landingLimits: maxFieldChars must not exceed maxRecordChars', path: ['landingLimits'] });
    }
  });

/** A dataset declaration as written (before defaults). */
export type DatasetSpecInput = z.input<typeof DatasetSpecSchema>;

/** A validated dataset declaration. */
export type DatasetSpec = z.infer<typeof DatasetSpecSchema>;

/**
 * Validates a dataset declaration once, where it is written, so a bad declaration fails at import rather than deep
 * inside a pipeline step.
 *
 * @param spec - the declaration
 * @returns the validated, frozen declaration
 * @example
 * export const branch = defineDataset({ name: 'branch', ... });
 */
export function defineDataset(spec: DatasetSpecInput): DatasetSpec {
  const parsed = DatasetSpecSchema.safeParse(spec);
  if (!parsed.success) {
    throw new Error(`dataset '${spec.name}' is declared wrongly: ${z.prettifyError(parsed.error)}`);
  }
  return deepFreeze(parsed.data);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** The columns of a dataset whose values must never be shown to a human or written to a log. */
export function sensitiveColumns(dataset: DatasetSpec): ColumnSpec[] {
  return dataset.columns.filter((column) => (SENSITIVE_CLASSIFICATIONS as readonly string[]).includes(column.classification));
}
