import { getDataset } from '@cur/contracts';
import { deriveSqlColumnLineage, type ColumnDerivation, type LineageQuery, type SqlParser } from '@cur/lineage';
import {
  DUCKDB_DIALECT,
  FEATURE_SOURCES,
  MART_DATASETS,
  renderCustomerFeaturesPlan,
  renderCustomerTagsPlan,
  renderMartPlan,
  storedAsTextOf,
  TAG_DEFINITIONS,
  type StepPlanInput,
  type TagDefinition,
} from '@cur/pipeline';
import type { MaskingPolicy } from '@cur/policy';

/** Stands for every business date: the plans' SQL differs between dates only in date literals, which carry no lineage. */
const ANY_DATE = '2000-01-31';

/** What {@link pipelineColumnDerivations} reads. */
export interface ColumnDerivationSources {
  readonly policy: MaskingPolicy;
  /** @default TAG_DEFINITIONS */
  readonly tags?: readonly TagDefinition[];
  /** Renders the customer_features plan; a test passes a changed one to see the lineage follow. @default renderCustomerFeaturesPlan */
  readonly renderFeaturesPlan?: typeof renderCustomerFeaturesPlan;
}

/**
 * The column lineage of the steps that compute new columns, derived from what runs: the consumption step's plans
 * (customer_features' SQL, customer_tags' with each tag's predicate), and the mart's plans. Each plan is rendered
 * with a placeholder file per input (its path names the dataset), parsed by `parser`, and read by
 * `deriveSqlColumnLineage`; a tag's column gets one derivation per tag, from the columns its predicate reads.
 *
 * @param parser - DuckDB's parser (`DuckDbSqlParser`)
 * @returns the derivations `buildLineage` takes as `columnDerivations`
 */
export async function pipelineColumnDerivations(parser: SqlParser, sources: ColumnDerivationSources): Promise<ColumnDerivation[]> {
  const render = sources.renderFeaturesPlan ?? renderCustomerFeaturesPlan;
  const features = render({
    businessDate: ANY_DATE,
    sources: Object.fromEntries(FEATURE_SOURCES.map((name) => [name, [placeholder(name)]])) as Record<(typeof FEATURE_SOURCES)[number], string[]>,
    storedAsText: storedAsTextOf(sources.policy),
    outputPath: placeholder('customer_features'),
    dialect: DUCKDB_DIALECT,
  });
  const tagsPlan = renderCustomerTagsPlan({ businessDate: ANY_DATE, tags: sources.tags ?? TAG_DEFINITIONS, features: [placeholder('customer_features')], outputPath: placeholder('customer_tags') });
  const marts = MART_DATASETS.map((dataset) =>
    renderMartPlan({ dataset, businessDate: ANY_DATE, features: [placeholder('customer_features')], tags: [placeholder('customer_tags')], modelTags: [placeholder('model_tags')], previous: [], outputPath: placeholder(dataset), dialect: DUCKDB_DIALECT }),
  );
  return [
    ...(await planDerivations(parser, features)),
    ...(await planDerivations(parser, tagsPlan)).filter((derivation) => derivation.column !== 'tag'),
    ...(await tagDerivations(parser, sources.tags ?? TAG_DEFINITIONS)),
    ...(await Promise.all(marts.map((plan) => planDerivations(parser, plan)))).flat(),
  ];
}

const PLACEHOLDER_PREFIX = 'lineage-placeholder/';
const placeholder = (dataset: string): string => `${PLACEHOLDER_PREFIX}${dataset}`;

async function planDerivations(parser: SqlParser, plan: StepPlanInput): Promise<ColumnDerivation[]> {
  const relations = (plan.inputs ?? []).map((input) => {
    const path = input.format === 'parquet' ? (input.paths[0] ?? '') : input.path;
    const dataset = getDataset(path.slice(PLACEHOLDER_PREFIX.length));
    return { name: input.name, dataset: dataset.name, columns: [...dataset.columns, ...dataset.partitionColumns].map((column) => column.name) };
  });
  const parsed = async (name: string, sql: string): Promise<LineageQuery> => ({ name, tree: await parser.parse(sql) });
  const views = await Promise.all((plan.statements ?? []).map((statement) => parsed(statement.name, statement.sql)));
  const outputs = await Promise.all(plan.outputs.map((output) => parsed(output.name, output.sql)));
  return deriveSqlColumnLineage({ relations, views, outputs }).map((derived) => ({
    step: plan.step,
    output: derived.output,
    column: derived.column,
    upstreams: derived.upstreams,
    operation: derived.copy ? 'COPY' : 'SQL',
  }));
}

/** customer_tags' `tag`: for each tag, the customer_features columns its predicate reads. */
async function tagDerivations(parser: SqlParser, tags: readonly TagDefinition[]): Promise<ColumnDerivation[]> {
  const features = getDataset('customer_features');
  const relations = [{ name: 'f_customer_features', dataset: features.name, columns: [...features.columns, ...features.partitionColumns].map((column) => column.name) }];
  const derivations: ColumnDerivation[] = [];
  for (const tag of tags) {
    // The predicate as a selected expression: its columns are what decides whether the tag is written.
    const tree = await parser.parse(`SELECT (${tag.predicate}) AS tag FROM f_customer_features`);
    for (const derived of deriveSqlColumnLineage({ relations, views: [], outputs: [{ name: 'customer_tags', tree }] })) {
      derivations.push({ step: 'consumption', output: 'customer_tags', column: 'tag', upstreams: derived.upstreams, operation: `TAG:${tag.name}` });
    }
  }
  return derivations;
}
