import { DATASET_NAMES, getDataset } from '@cur/contracts';
import type { MaskingPolicy } from '@cur/policy';
import { z } from 'zod';
import { SPARK_DIALECT } from '../sql/sql-dialect';
import type { TagDefinition } from '../tags/tag-definitions';
import { FEATURE_LOOKBACK_DAYS, FEATURE_SOURCES, renderCustomerFeaturesPlan, renderCustomerTagsPlan, storedAsTextOf } from './consumption-plans';
import { datasetSource } from './dataset-input';
import { MART_DATASETS, renderMartPlan } from './mart-plans';
import { PlanIdentifierSchema, type StepPlanInput } from './step-plan';
import { renderTransformPlan, transformPlanTables } from './transform-plan';
import { renderMaskRequestTemplate, type MaskRequestTemplate } from './mask-request-template';
import { schemaSha256 } from '../lake/lake-writer';
import { rejectsDatasetOf } from '../steps/transform-step';

/**
 * Plan templates for the Glue jobs: every plan a Glue job runs, rendered at build time by the same functions the local
 * steps call, with the business date and the buckets left as parameters. The Glue job (`cur_spark.jobs.glue_entry`,
 * libs/spark-runner) fills them from its arguments, finds each source's partitions and runs the plan; no SQL is
 * written in Python. Mirrored by `cur_spark.glue_template` (pydantic); the committed copies live in
 * `libs/spark-runner/glue-plans/` (`nx run pipeline:glue-plans`), and a test fails while they are stale.
 */

/** The template format's version. */
export const GLUE_PLAN_TEMPLATE_VERSION = 1;

/** Stands for the job's business date (`--business-date`, validated as a calendar date) in every string of a template. */
export const BUSINESS_DATE_PARAMETER = '${business_date}';

/** Stands for the business date's month (`yyyy-MM`, the mart's `month`) in every string of a template. */
export const BUSINESS_MONTH_PARAMETER = '${business_month}';

/**
 * The date the plans are rendered with, then replaced by the parameters: a real calendar date, so every SQL builder
 * runs as it does for a run, and one no run has, so each of its spellings is found and replaced. A builder that
 * derived anything else from the date would leave a value no test date reproduces (the tests compare filled
 * templates with plans rendered for real dates).
 */
const RENDER_DATE = '2999-12-31';
const RENDER_MONTH = RENDER_DATE.slice(0, 7);

/** Stands for a bucket's `s3://` URI (no trailing slash) in every string of a template: `${bucket:raw}`. */
export const bucketParameter = (bucket: GlueBucket): string => `\${bucket:${bucket}}`;

/** The buckets a template may name. */
export const GLUE_BUCKETS = ['raw', 'transformed', 'consumption', 'mart'] as const;

/** One bucket a template may name. */
export type GlueBucket = (typeof GLUE_BUCKETS)[number];

/** The step kinds that run as Glue jobs from templates (the mask job runs its own request, not a plan). */
export const GLUE_PLAN_STEPS = ['transform', 'consumption', 'mart'] as const;

/** One step kind run from templates. */
export type GluePlanStep = (typeof GLUE_PLAN_STEPS)[number];

/**
 * Which partitions of a dataset a source reads, relative to the business date: that date; the dates `days` before it
 * up to it (the features' look-back windows); or the latest date of the previous calendar month (the mart's
 * month-over-month change).
 */
export const SourceWindowSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('date') }).strict(),
  z.object({ kind: z.literal('days'), days: z.number().int().min(1).max(3660) }).strict(),
  z.object({ kind: z.literal('previous-month-latest') }).strict(),
]);

/**
 * One partitioned input the job resolves: the partitions `<location>/business_date=<d>` of the window that exist
 * become one Parquet input named `name`; with none, a `required` source fails the job (`INPUT_MISSING`), any other
 * becomes the view `emptySql` (no rows, the declared column types). With `sameRunAs` (date window only), the date's
 * partition is read only when its published manifest has the run id of that dataset's manifest of the date, as the
 * local step reads it (the mart's model tags, scored from the same run's features); otherwise it is absent.
 */
export const GluePlanSourceSchema = z
  .object({
    name: PlanIdentifierSchema,
    bucket: z.enum(GLUE_BUCKETS),
    dataset: z.string().regex(/^[a-z][a-z0-9_]*(\/[a-z][a-z0-9_]*)?$/),
    window: SourceWindowSchema,
    required: z.boolean(),
    emptySql: z.string().min(1).nullable(),
    sameRunAs: z.string().regex(/^[a-z][a-z0-9_]*$/).optional(),
  })
  .strict()
  .refine((source) => source.required || source.emptySql !== null, { message: 'an optional source needs emptySql' })
  .refine((source) => source.sameRunAs === undefined || source.window.kind === 'date', { message: 'sameRunAs needs the date window' });

/**
 * An output that is one partition of a catalog table, `<bucket>/<table>/[<key>=<value>/...]business_date=<d>`: the job
 * registers it in the zone's Glue database after writing (`ADD IF NOT EXISTS PARTITION`), so Athena, Redshift Spectrum
 * and Glue Data Quality see it. `keys` are the partition keys before the date, with their fixed values (the rejects'
 * `source_dataset`), in the table's order.
 */
export const GluePlanPartitionSchema = z
  .object({ output: PlanIdentifierSchema, zone: z.enum(GLUE_BUCKETS), table: PlanIdentifierSchema, keys: z.record(PlanIdentifierSchema, z.string().regex(/^[a-z][a-z0-9_]*$/)) })
  .strict();

/**
 * A dataset whose published manifests are an output's inputs: those of the business dates in `window` (what the local
 * step lists), and with `sameRunAs`, only when that output's manifest of the date has the same run id (the mart reads
 * model tags only when scored from the same run's features).
 */
export const GluePlanManifestInputSchema = z
  .object({ zone: z.enum(GLUE_BUCKETS), dataset: z.string().regex(/^[a-z][a-z0-9_]*$/), window: SourceWindowSchema, sameRunAs: z.string().regex(/^[a-z][a-z0-9_]*$/).nullable() })
  .strict();

/**
 * The manifest the job publishes for an output, as the local step publishes it (libs/lake `Manifest`): the dataset
 * name and zone, the contract's schema hash (rendered here, at build time), and the datasets whose manifests are its
 * inputs. The job adds the files, rows, content hash, run id and times.
 */
export const GluePlanManifestSchema = z
  .object({ output: PlanIdentifierSchema, dataset: z.string().regex(/^[a-z][a-z0-9_]*(\/[a-z][a-z0-9_]*)?$/), zone: z.enum(GLUE_BUCKETS), schemaSha256: z.string().regex(/^[0-9a-f]{64}$/), inputs: z.array(GluePlanManifestInputSchema) })
  .strict();

/**
 * The transform's accounting, as the local step does it: the raw partition's manifest gives the rows in and the key
 * versions; the table `checked` must count as many rows, and the accepted and rejected outputs add up to them. The
 * counts (`rowsIn`, `rowsOut`, `rowsRejected`, `rejected.<reason>`) go into both outputs' manifests.
 */
export const GluePlanAccountingSchema = z
  .object({ raw: PlanIdentifierSchema, checked: PlanIdentifierSchema, accepted: PlanIdentifierSchema, rejects: PlanIdentifierSchema })
  .strict();

/** A plan template: sources to resolve, and a plan whose strings hold the parameters and whose inputs are empty. */
export const GluePlanTemplateSchema = z
  .object({
    templateVersion: z.literal(GLUE_PLAN_TEMPLATE_VERSION),
    step: z.enum(GLUE_PLAN_STEPS),
    dataset: PlanIdentifierSchema,
    sources: z.array(GluePlanSourceSchema).min(1),
    partitions: z.array(GluePlanPartitionSchema),
    manifests: z.array(GluePlanManifestSchema).min(1),
    accounting: GluePlanAccountingSchema.nullable(),
    // Checked as a plan once filled (StepPlanSchema; the runner's pydantic model in the job).
    plan: z.record(z.string(), z.unknown()),
  })
  .strict();

/** One plan template. */
export type GluePlanTemplate = z.infer<typeof GluePlanTemplateSchema>;
/** One source of a template. */
export type GluePlanSource = z.infer<typeof GluePlanSourceSchema>;
/** One output's manifest, as a template declares it. */
export type GluePlanManifest = z.infer<typeof GluePlanManifestSchema>;
/** One dataset whose manifests are an output's inputs. */
export type GluePlanManifestInput = z.infer<typeof GluePlanManifestInputSchema>;

/** The templates a step's job runs when no `--dataset` is given, in run order (customer_tags reads customer_features). */
export type GluePlanIndex = Readonly<Record<GluePlanStep, readonly string[]>>;

/** What the templates are rendered from. */
export interface GluePlanTemplateOptions {
  readonly policy: MaskingPolicy;
  readonly tags: readonly TagDefinition[];
}

/** Every template the Glue jobs run, and the run order of each step's templates. */
export interface GluePlanTemplates {
  readonly index: GluePlanIndex;
  readonly templates: readonly GluePlanTemplate[];
  /** The Glue mask job's request template of each source dataset (`mask/<dataset>.json`), not in the index. */
  readonly maskRequests: readonly MaskRequestTemplate[];
}

const SOURCE_PREFIX = '${source:';
const sourcePath = (name: string): string => `${SOURCE_PREFIX}${name}}`;
const partitionPath = (bucket: GlueBucket, dataset: string): string => `${bucketParameter(bucket)}/${dataset}/business_date=${RENDER_DATE}`;

/**
 * Renders every Glue plan template: the transform of each source dataset, customer_features then customer_tags, and
 * each mart dataset. Each is the plan the local step renders, with Spark's dialect, the date as
 * {@link BUSINESS_DATE_PARAMETER} (its month {@link BUSINESS_MONTH_PARAMETER}), each output written to its partition folder in its bucket, and each Parquet input
 * turned into a source the job resolves.
 *
 * @example
 * const { index, templates } = renderGluePlanTemplates({ policy: createMaskingPolicy(), tags: TAG_DEFINITIONS });
 */
export function renderGluePlanTemplates(options: GluePlanTemplateOptions): GluePlanTemplates {
  const businessDate = RENDER_DATE;
  const dialect = SPARK_DIALECT;
  const templates: GluePlanTemplate[] = [];

  for (const name of DATASET_NAMES) {
    const dataset = getDataset(name);
    const plan = renderTransformPlan({
      dataset,
      businessDate,
      raw: [sourcePath(`raw_${name}`)],
      policy: options.policy,
      dialect,
      acceptedPath: partitionPath('transformed', name),
      rejectsPath: partitionPath('transformed', `transform_rejects/source_dataset=${name}`),
    });
    const rawInput = [{ zone: 'raw', dataset: name, window: { kind: 'date' }, sameRunAs: null }] as const;
    templates.push(
      toTemplate(
        'transform',
        name,
        plan,
        [{ name: `raw_${name}`, bucket: 'raw', dataset: name, window: { kind: 'date' }, required: true, emptySql: null }],
        // The rejects first: the accepted rows' manifest, published last, makes the batch's transform visible.
        [manifestOf('transform_rejects', 'transformed', rejectsDatasetOf(name), rawInput, 'transform_rejects'), manifestOf(name, 'transformed', name, rawInput)],
        { raw: name, checked: transformPlanTables(name).checked, accepted: name, rejects: 'transform_rejects' },
      ),
    );
  }

  const storedAsText = storedAsTextOf(options.policy);
  const features = renderCustomerFeaturesPlan({
    businessDate,
    sources: Object.fromEntries(FEATURE_SOURCES.map((name) => [name, [sourcePath(`t_${name}`)]])) as Record<(typeof FEATURE_SOURCES)[number], string[]>,
    storedAsText,
    outputPath: partitionPath('consumption', 'customer_features'),
    dialect,
  });
  // Both consumption outputs list the features' inputs, as the local step publishes them.
  const featureInputs = FEATURE_SOURCES.map((name) => ({ zone: 'transformed', dataset: name, window: featureWindow(name), sameRunAs: null }) as const);
  templates.push(
    toTemplate(
      'consumption',
      'customer_features',
      features,
      FEATURE_SOURCES.map((name) => ({
        name: `t_${name}`,
        bucket: 'transformed',
        dataset: name,
        window: featureWindow(name),
        // Features need the customer list; the other sources may be absent (no batch that day).
        required: name === 'customer_profile',
        emptySql: name === 'customer_profile' ? null : emptyViewSql(`t_${name}`, name, storedAsText[name]),
      })),
      [manifestOf('customer_features', 'consumption', 'customer_features', featureInputs)],
    ),
  );
  const featuresSource = { name: 'f_customer_features', bucket: 'consumption', dataset: 'customer_features', window: { kind: 'date' }, required: true, emptySql: null } as const;
  const tagsSource = { name: 'f_customer_tags', bucket: 'consumption', dataset: 'customer_tags', window: { kind: 'date' }, required: true, emptySql: null } as const;
  // The scoring step's output: absent while no model version is promoted, and read only when scored from these
  // features (its manifest's run is theirs), as the local mart step reads it; a stale partition is left out.
  const modelTagsSource = {
    name: 'f_model_tags',
    bucket: 'consumption',
    dataset: 'model_tags',
    window: { kind: 'date' },
    required: false,
    emptySql: emptyViewSql('f_model_tags', 'model_tags'),
    sameRunAs: 'customer_features',
  } as const;
  templates.push(
    toTemplate(
      'consumption',
      'customer_tags',
      renderCustomerTagsPlan({ businessDate, tags: options.tags, features: [sourcePath(featuresSource.name)], outputPath: partitionPath('consumption', 'customer_tags') }),
      [featuresSource],
      [manifestOf('customer_tags', 'consumption', 'customer_tags', featureInputs)],
    ),
  );

  for (const name of MART_DATASETS) {
    const tagMetrics = name === 'tag_metrics_monthly';
    const previousName = tagMetrics ? 'm_tag_previous' : 'm_segment_previous';
    const plan = renderMartPlan({
      dataset: name,
      businessDate,
      features: [sourcePath(featuresSource.name)],
      tags: [sourcePath(tagsSource.name)],
      modelTags: [sourcePath(modelTagsSource.name)],
      previous: [sourcePath(previousName)],
      outputPath: partitionPath('mart', name),
      dialect,
    });
    templates.push(
      toTemplate('mart', name, plan, [
        featuresSource,
        ...(tagMetrics ? [tagsSource, modelTagsSource] : []),
        { name: previousName, bucket: 'mart', dataset: name, window: { kind: 'previous-month-latest' }, required: false, emptySql: emptyViewSql(previousName, name) },
      ], [
        manifestOf(name, 'mart', name, [
          { zone: 'consumption', dataset: 'customer_features', window: { kind: 'date' }, sameRunAs: null },
          { zone: 'consumption', dataset: 'customer_tags', window: { kind: 'date' }, sameRunAs: null },
          // Model tags count only when scored from these features (the same run), as the local mart step reads them.
          ...(tagMetrics ? [{ zone: 'consumption', dataset: 'model_tags', window: { kind: 'date' }, sameRunAs: 'customer_features' } as const] : []),
        ]),
      ]),
    );
  }

  const index = Object.fromEntries(GLUE_PLAN_STEPS.map((step) => [step, templates.filter((t) => t.step === step).map((t) => t.dataset)])) as Record<GluePlanStep, string[]>;
  const maskRequests = DATASET_NAMES.map((name) => renderMaskRequestTemplate(getDataset(name), options.policy));
  return { index, templates: templates.map((template) => GluePlanTemplateSchema.parse(template)), maskRequests };
}

/** A feature source's look-back window, as the local consumption step lists its manifests (`featureWindowStart`). */
function featureWindow(name: (typeof FEATURE_SOURCES)[number]): z.infer<typeof SourceWindowSchema> {
  return FEATURE_LOOKBACK_DAYS[name] === 0 ? { kind: 'date' } : { kind: 'days', days: FEATURE_LOOKBACK_DAYS[name] };
}

/** The manifest of an output: `dataset` in `zone`, the schema hash of the contract's `contract` dataset. */
function manifestOf(output: string, zone: GlueBucket, dataset: string, inputs: readonly GluePlanManifestInput[], contract: string = dataset): GluePlanManifest {
  return { output, dataset, zone, schemaSha256: schemaSha256(getDataset(contract).columns), inputs: [...inputs] };
}

/** The empty view of a dataset with no partition in the window, as the local step renders it. */
function emptyViewSql(name: string, dataset: string, storedAsText?: ReadonlySet<string>): string {
  const statement = datasetSource(name, [], getDataset(dataset), SPARK_DIALECT, storedAsText).statements[0];
  if (!statement) throw new Error(`no empty view rendered for ${dataset}`);
  return statement.sql;
}

/**
 * The template of a rendered plan: its Parquet inputs, each standing for a source (`${source:<name>}`), are taken
 * out, since the job resolves them; everything else is kept as rendered.
 */
function toTemplate(
  step: GluePlanStep,
  dataset: string,
  plan: StepPlanInput,
  sources: readonly GluePlanSource[],
  manifests: readonly GluePlanManifest[],
  accounting: z.infer<typeof GluePlanAccountingSchema> | null = null,
): GluePlanTemplate {
  const inputs = plan.inputs ?? [];
  const names = new Set(sources.map((source) => source.name));
  for (const input of inputs) {
    const placeholder = input.format === 'parquet' && input.paths.length === 1 && input.paths[0] === sourcePath(input.name);
    if (!placeholder || !names.has(input.name)) throw new Error(`${step}/${dataset}: input ${input.name} is not one of the template's sources`);
  }
  if (inputs.length !== sources.length) throw new Error(`${step}/${dataset}: ${sources.length} sources for ${inputs.length} inputs`);
  const text = JSON.stringify({ ...plan, inputs: [] });
  if (text.includes(SOURCE_PREFIX)) throw new Error(`${step}/${dataset}: a source placeholder outside the inputs`);
  const parameterised = text.replaceAll(RENDER_DATE, BUSINESS_DATE_PARAMETER).replaceAll(RENDER_MONTH, BUSINESS_MONTH_PARAMETER);
  if (parameterised.includes(RENDER_DATE.slice(0, 4))) throw new Error(`${step}/${dataset}: a value derived from the business date is left in the plan`);
  const partitions = (plan.outputs ?? []).flatMap((output) => {
    for (const zone of GLUE_BUCKETS) {
      const prefix = `${bucketParameter(zone)}/${output.name}/`;
      const suffix = `business_date=${RENDER_DATE}`;
      if (!output.path.startsWith(prefix) || !output.path.endsWith(suffix)) continue;
      const between = output.path.slice(prefix.length, -suffix.length).split('/').filter((part) => part !== '');
      const keys = between.map((part) => /^([a-z][a-z0-9_]*)=([a-z][a-z0-9_]*)$/.exec(part));
      if (keys.some((key) => key === null)) return [];
      return [{ output: output.name, zone, table: output.name, keys: Object.fromEntries(keys.map((key) => [key?.[1] ?? '', key?.[2] ?? ''])) }];
    }
    return [];
  });
  const outputs = new Set((plan.outputs ?? []).map((output) => output.name));
  const unmatched = manifests.filter((manifest) => !outputs.has(manifest.output));
  if (unmatched.length > 0 || manifests.length !== outputs.size) throw new Error(`${step}/${dataset}: one manifest per output is needed`);
  return {
    templateVersion: GLUE_PLAN_TEMPLATE_VERSION,
    step,
    dataset,
    sources: [...sources],
    partitions,
    manifests: [...manifests],
    accounting,
    plan: JSON.parse(parameterised) as Record<string, unknown>,
  };
}

/**
 * Fills a template's parameters, as the Glue job does (`cur_spark.glue_template.fill`), for tests and for reading a
 * template as the plan it becomes: the date, the buckets, and each source's resolved files (an absent source, which
 * must be optional, becomes its empty view, ahead of the template's statements).
 */
export function fillGluePlanTemplate(template: GluePlanTemplate, businessDate: string, buckets: Readonly<Record<GlueBucket, string>>, sourceFiles: Readonly<Record<string, readonly string[]>>): StepPlanInput {
  const fill = (text: string): string =>
    text.replaceAll(BUSINESS_DATE_PARAMETER, businessDate).replaceAll(BUSINESS_MONTH_PARAMETER, businessDate.slice(0, 7)).replace(/\$\{bucket:([a-z]+)\}/g, (_, bucket: string) => {
      const uri = buckets[bucket as GlueBucket];
      if (uri === undefined) throw new Error(`unknown bucket ${bucket}`);
      return uri.replace(/\/+$/, '');
    });
  const plan = JSON.parse(fill(JSON.stringify(template.plan))) as StepPlanInput;
  const inputs: NonNullable<StepPlanInput['inputs']> = [];
  const empty: NonNullable<StepPlanInput['statements']> = [];
  for (const source of template.sources) {
    const files = sourceFiles[source.name] ?? [];
    if (files.length > 0) inputs.push({ format: 'parquet', name: source.name, paths: [...files], columns: null });
    else if (source.emptySql !== null) empty.push({ kind: 'view', name: source.name, sql: source.emptySql });
    else throw new Error(`${template.step}/${template.dataset}: required source ${source.name} has no partition`);
  }
  return { ...plan, inputs, statements: [...empty, ...(plan.statements ?? [])] };
}

/**
 * The template files as the Glue jobs' asset holds them, path to JSON text: `index.json` (each step's templates in
 * run order), `<step>/<dataset>.json` and the mask job's `mask/<dataset>.json`. Committed in
 * `libs/spark-runner/glue-plans/`.
 */
export function gluePlanTemplateFiles(templates: GluePlanTemplates): Readonly<Record<string, string>> {
  const files: Record<string, string> = { 'index.json': `${JSON.stringify(templates.index, null, 2)}\n` };
  for (const template of templates.templates) files[`${template.step}/${template.dataset}.json`] = `${JSON.stringify(template, null, 2)}\n`;
  for (const request of templates.maskRequests) files[`mask/${request.dataset}.json`] = `${JSON.stringify(request, null, 2)}\n`;
  return files;
}
