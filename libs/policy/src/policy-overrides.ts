import { z } from 'zod';
import { getDataset, isDatasetName } from '@cur/contracts';
import { PolicyInvalidError } from './policy-error';
import { TreatmentSchema, type Treatment } from './treatment';

/**
 * A per-dataset override file (`<dataset>.policy.json`): a different treatment for human roles on some columns,
 * e.g. the bank's own encryption program for names, or keeping the last four digits of a card number.
 *
 * @example
 * { "dataset": "card_transaction", "columns": { "card_no": { "method": "partial", "params": { "keepLast": 4 } } } }
 */
export const PolicyOverrideFileSchema = z
  .object({
    dataset: z.string(),
    columns: z.record(z.string(), TreatmentSchema),
  })
  .strict();

/** Validated overrides: dataset -> column -> treatment for human roles. */
export type PolicyOverrides = ReadonlyMap<string, ReadonlyMap<string, Treatment>>;

/**
 * Parses override files and checks them against the contracts: every dataset and column must exist, and no override
 * may give a human role the plaintext of a non-public column or reveal a secret column.
 *
 * @throws PolicyInvalidError naming the file's dataset and column and what is wrong
 */
export function parsePolicyOverrides(files: readonly unknown[]): PolicyOverrides {
  const overrides = new Map<string, Map<string, Treatment>>();
  for (const [index, file] of files.entries()) {
    const parsed = PolicyOverrideFileSchema.safeParse(file);
    if (!parsed.success) throw new PolicyInvalidError(`policy override file #${index + 1} is malformed: ${z.prettifyError(parsed.error)}`);
    const { dataset: datasetName, columns } = parsed.data;
    if (!isDatasetName(datasetName)) throw new PolicyInvalidError(`policy override for unknown dataset '${datasetName}'`);
    const dataset = getDataset(datasetName);
    const forDataset = overrides.get(datasetName) ?? new Map<string, Treatment>();
    for (const [columnName, treatment] of Object.entries(columns)) {
      const column = dataset.columns.find((candidate) => candidate.name === columnName);
      if (!column) throw new PolicyInvalidError(`policy override for unknown column '${datasetName}.${columnName}'`);
      if (column.classification !== 'public' && treatment.method === 'plaintext') {
        throw new PolicyInvalidError(`policy override would show ${column.classification} column '${datasetName}.${columnName}' in plaintext to human roles`);
      }
      if (column.classification === 'secret' && treatment.method !== 'drop' && treatment.method !== 'redact') {
        throw new PolicyInvalidError(`secret column '${datasetName}.${columnName}' can only be dropped or redacted for human roles`);
      }
      forDataset.set(columnName, treatment);
    }
    overrides.set(datasetName, forDataset);
  }
  return overrides;
}
