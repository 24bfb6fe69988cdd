import { z } from 'zod';
import { DATASET_NAMES, type SourceDatasetName } from '@cur/contracts';
import {
  DEFAULT_BIG5_DATASETS,
  DEFAULT_CUSTOMERS,
  DEFAULT_DAYS,
  DEFAULT_DIRTY_RATE,
  DEFAULT_GZIP_DATASETS,
  DEFAULT_SEED,
  DEFAULT_START_DATE,
  MAX_CARD_ACTIVITY,
  MAX_CUSTOMERS,
  MAX_DAYS,
  MAX_START_DATE,
  MIN_START_DATE,
} from './constants';
import { SyntheticOptionsError } from './errors';

const datasetList = z
  .array(z.enum(DATASET_NAMES as [SourceDatasetName, ...SourceDatasetName[]]))
  .transform((names) => DATASET_NAMES.filter((name) => names.includes(name)));

/**
 * Options of {@link generateLandingBatches}; every field is optional.
 *
 * - `customers` (@default 10_000): customers in customer_profile; the other datasets scale with it
 *   (about 2.5 accounts, 1 card transaction and 2 digital events per customer per day).
 * - `days` (@default 1): consecutive calendar business days from `startDate`; one batch per dataset per day.
 * - `seed` (@default 1): the same options give byte-identical files; another seed gives other data.
 * - `startDate` (@default '2026-11-25'): the first business date, ISO.
 * - `cardActivity` (@default 1): multiplies card use; 10 gives about ten card transactions per customer per day, for
 *   load tests (the 1M-customer, 10M-transaction benchmark).
 * - `dirtyRate` (@default 0.005): probability that a row of any file is deliberately dirty.
 * - `big5Datasets` (@default ['customer_profile', 'account_balance']): written in Big5 (CP950); the rest UTF-8.
 * - `gzipDatasets` (@default ['card_transaction']): written as `.csv.gz`.
 * - `datasets` (@default all four): which datasets to write.
 * - `recordDirtyRows` (@default false): list every dirty row (row number, kind, column) in the summary.
 */
export const GenerateOptionsSchema = z
  .object({
    customers: z.number().int().min(1).max(MAX_CUSTOMERS).default(DEFAULT_CUSTOMERS),
    days: z.number().int().min(1).max(MAX_DAYS).default(DEFAULT_DAYS),
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(DEFAULT_SEED),
    startDate: z.iso
      .date()
      .refine((date) => date >= MIN_START_DATE && date <= MAX_START_DATE, `must be between ${MIN_START_DATE} and ${MAX_START_DATE}`)
      .default(DEFAULT_START_DATE),
    cardActivity: z.number().positive().max(MAX_CARD_ACTIVITY).default(1),
    dirtyRate: z.number().min(0).max(0.5).default(DEFAULT_DIRTY_RATE),
    big5Datasets: datasetList.default([...DEFAULT_BIG5_DATASETS]),
    gzipDatasets: datasetList.default([...DEFAULT_GZIP_DATASETS]),
    datasets: datasetList.default([...DATASET_NAMES]),
    recordDirtyRows: z.boolean().default(false),
  })
  .strict();

/** Generator options as a caller writes them (all optional). */
export type GenerateOptionsInput = z.input<typeof GenerateOptionsSchema>;

/** Generator options with every default applied. */
export type GenerateOptions = z.output<typeof GenerateOptionsSchema>;

/**
 * Validates generator options and applies the defaults.
 *
 * @throws SyntheticOptionsError naming every field at fault
 * @example
 * parseGenerateOptions({ customers: 500 }).days; // 1
 */
export function parseGenerateOptions(options: GenerateOptionsInput = {}): GenerateOptions {
  const parsed = GenerateOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new SyntheticOptionsError(`invalid generator options: ${z.prettifyError(parsed.error)}`, { cause: parsed.error });
  }
  return parsed.data;
}
