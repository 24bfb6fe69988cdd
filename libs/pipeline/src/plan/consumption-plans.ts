import { getDataset } from '@cur/contracts';
import { storedTypeOf, type MaskingPolicy } from '@cur/policy';
import { customerFeatureStatements, customerFeaturesSql, customerTagsSql } from '../sql/consumption-sql';
import type { SqlDialect } from '../sql/sql-dialect';
import type { TagDefinition } from '../tags/tag-definitions';
import { datasetSource } from './dataset-input';
import { PLAN_VERSION, type StepPlanInput } from './step-plan';

/** The transformed datasets customer_features reads, each as the view `t_<dataset>`. */
export const FEATURE_SOURCES = ['customer_profile', 'account_balance', 'card_transaction', 'digital_activity'] as const;

/** One source of customer_features. */
export type FeatureSource = (typeof FEATURE_SOURCES)[number];

/** How many days back from the business date each source is read (0: that date only). */
export const FEATURE_LOOKBACK_DAYS: Readonly<Record<FeatureSource, number>> = { customer_profile: 0, account_balance: 0, card_transaction: 183, digital_activity: 30 };

/** The first business date of a source's look-back window ending on `businessDate`. */
export function featureWindowStart(source: FeatureSource, businessDate: string): string {
  return new Date(Date.parse(`${businessDate}T00:00:00Z`) - FEATURE_LOOKBACK_DAYS[source] * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Each source's columns stored in transformed as text though declared otherwise (tokens, generalised values), as
 * `storedTypeOf` says: the one answer the Glue Data Catalog, the Glue templates and the steps use.
 *
 * @example
 * renderCustomerFeaturesPlan({ ..., storedAsText: storedAsTextOf(policy) });
 */
export function storedAsTextOf(policy: MaskingPolicy): Record<FeatureSource, ReadonlySet<string>> {
  const of = (name: FeatureSource): ReadonlySet<string> => {
    const dataset = getDataset(name);
    return new Set(dataset.columns.filter((column) => storedTypeOf(dataset, column, 'transformed', policy) !== column.type).map((column) => column.name));
  };
  return { customer_profile: of('customer_profile'), account_balance: of('account_balance'), card_transaction: of('card_transaction'), digital_activity: of('digital_activity') };
}

/** What the customer_features plan reads and where it writes. */
export interface CustomerFeaturesPlanOptions {
  readonly businessDate: string;
  /** Each source's published transformed files over its look-back window (none: an empty typed view). */
  readonly sources: Readonly<Record<FeatureSource, readonly string[]>>;
  /** Each source's masked columns, stored as text whatever their declared type: {@link storedAsTextOf}. */
  readonly storedAsText: Readonly<Record<FeatureSource, ReadonlySet<string>>>;
  readonly outputPath: string;
  readonly dialect: SqlDialect;
}

/**
 * The plan of customer_features for a business date: the transformed sources in, the per-customer tables of
 * `customerFeatureStatements` materialised one by one, one row per customer out (`customerFeaturesSql`).
 */
export function renderCustomerFeaturesPlan(options: CustomerFeaturesPlanOptions): StepPlanInput {
  const sources = FEATURE_SOURCES.map((name) => datasetSource(`t_${name}`, options.sources[name], getDataset(name), options.dialect, options.storedAsText[name]));
  return {
    version: PLAN_VERSION,
    step: 'consumption',
    dataset: 'customer_features',
    businessDate: options.businessDate,
    inputs: sources.flatMap((source) => source.inputs),
    statements: [...sources.flatMap((source) => source.statements), ...customerFeatureStatements(options.businessDate)],
    outputs: [{ name: 'customer_features', sql: customerFeaturesSql(options.businessDate), path: options.outputPath }],
  };
}

/** What the customer_tags plan reads and where it writes. */
export interface CustomerTagsPlanOptions {
  readonly businessDate: string;
  readonly tags: readonly TagDefinition[];
  /** The published customer_features files of the date. */
  readonly features: readonly string[];
  readonly outputPath: string;
}

/** The plan of customer_tags for a business date: the published features in, one row per customer and tag that holds out. */
export function renderCustomerTagsPlan(options: CustomerTagsPlanOptions): StepPlanInput {
  return {
    version: PLAN_VERSION,
    step: 'consumption',
    dataset: 'customer_tags',
    businessDate: options.businessDate,
    inputs: [{ format: 'parquet', name: 'f_customer_features', paths: [...options.features], columns: null }],
    outputs: [{ name: 'customer_tags', sql: customerTagsSql(options.tags, options.businessDate), path: options.outputPath }],
  };
}
