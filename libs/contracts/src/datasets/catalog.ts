import type { ColumnSpec, DatasetSpec } from '../dataset-spec';
import { accountBalance } from './account-balance';
import { cardTransaction } from './card-transaction';
import { customerProfile } from './customer-profile';
import { customerFeatures, customerTags, modelTags, segmentMetricsMonthly, tagMetricsMonthly, transformRejects } from './derived-datasets';
import { digitalActivity } from './digital-activity';

/** The source datasets: what on-premises systems send through landing, by name. */
export const DATASETS = {
  customer_profile: customerProfile,
  account_balance: accountBalance,
  card_transaction: cardTransaction,
  digital_activity: digitalActivity,
} as const satisfies Record<string, DatasetSpec>;

/** The datasets the pipeline derives: rejects, the DRV tables of the consumption layer, the data mart. */
export const DERIVED_DATASETS = {
  transform_rejects: transformRejects,
  customer_features: customerFeatures,
  customer_tags: customerTags,
  model_tags: modelTags,
  tag_metrics_monthly: tagMetricsMonthly,
  segment_metrics_monthly: segmentMetricsMonthly,
} as const satisfies Record<string, DatasetSpec>;

/** Every dataset the platform knows, sources first. The only lists of datasets in the code base are these. */
export const ALL_DATASETS = { ...DATASETS, ...DERIVED_DATASETS } as const;

/** The name of a source dataset. */
export type SourceDatasetName = keyof typeof DATASETS;

/** The name of any declared dataset. */
export type DatasetName = keyof typeof ALL_DATASETS;

/** Source dataset names in declaration order. */
export const DATASET_NAMES = Object.keys(DATASETS) as SourceDatasetName[];

/** Every dataset name, sources first. */
export const ALL_DATASET_NAMES = Object.keys(ALL_DATASETS) as DatasetName[];

/** True when `name` is a source dataset (one that arrives through landing). */
export function isSourceDatasetName(name: string): name is SourceDatasetName {
  return Object.hasOwn(DATASETS, name);
}

/** True when `name` is any declared dataset. */
export function isDatasetName(name: string): name is DatasetName {
  return Object.hasOwn(ALL_DATASETS, name);
}

/**
 * Looks a dataset up by name.
 *
 * @throws Error naming the known datasets when `name` is not one of them
 */
export function getDataset(name: string): DatasetSpec {
  if (!isDatasetName(name)) {
    throw new Error(`unknown dataset '${name}'; known datasets: ${ALL_DATASET_NAMES.join(', ')}`);
  }
  return ALL_DATASETS[name];
}

/**
 * Looks a column up by dataset and name.
 *
 * @throws Error naming the dataset's columns when the column is not declared
 */
export function getColumn(datasetName: string, columnName: string): ColumnSpec {
  const dataset = getDataset(datasetName);
  const column = dataset.columns.find((candidate) => candidate.name === columnName);
  if (!column) {
    throw new Error(
      `dataset '${datasetName}' has no column '${columnName}'; columns: ${dataset.columns.map((c) => c.name).join(', ')}`,
    );
  }
  return column;
}

/**
 * Every column name that is classified `quasi`, `direct` or `secret` in any dataset. Loggers and error formatters
 * use it to redact values under such keys wherever they appear.
 */
export const SENSITIVE_COLUMN_NAMES: ReadonlySet<string> = new Set(
  Object.values(ALL_DATASETS).flatMap((dataset) =>
    dataset.columns.filter((column) => column.classification !== 'public').map((column) => column.name),
  ),
);
