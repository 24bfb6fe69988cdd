import type { ColumnSpec, DatasetSpec } from '../dataset-spec';
import { accountBalance } from './account-balance';
import { cardTransaction } from './card-transaction';
import { customerProfile } from './customer-profile';
import { digitalActivity } from './digital-activity';

/** Every dataset the platform knows, by name. The only list of datasets in the code base. */
export const DATASETS = {
  customer_profile: customerProfile,
  account_balance: accountBalance,
  card_transaction: cardTransaction,
  digital_activity: digitalActivity,
} as const satisfies Record<string, DatasetSpec>;

/** The name of a declared dataset. */
export type DatasetName = keyof typeof DATASETS;

/** Dataset names in declaration order. */
export const DATASET_NAMES = Object.keys(DATASETS) as DatasetName[];

/** True when `name` is a declared dataset. */
export function isDatasetName(name: string): name is DatasetName {
  return Object.hasOwn(DATASETS, name);
}

/**
 * Looks a dataset up by name.
 *
 * @throws Error naming the known datasets when `name` is not one of them
 */
export function getDataset(name: string): DatasetSpec {
  if (!isDatasetName(name)) {
    throw new Error(`unknown dataset '${name}'; known datasets: ${DATASET_NAMES.join(', ')}`);
  }
  return DATASETS[name];
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
  Object.values(DATASETS).flatMap((dataset) =>
    dataset.columns.filter((column) => column.classification !== 'public').map((column) => column.name),
  ),
);
