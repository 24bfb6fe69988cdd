import type { ColumnSpec, DatasetSpec, Role } from '@cur/contracts';
import { ROLES, getDataset, isDatasetName, isRole } from '@cur/contracts';
import { defaultHumanTreatment } from './default-treatment';
import { PolicyDeniedError } from './policy-error';
import type { PolicyOverrides } from './policy-overrides';
import type { Treatment } from './treatment';

/** The one decision: what `role` gets of `dataset.column`. */
export interface MaskingPolicy {
  /**
   * @throws PolicyDeniedError for an unknown role, dataset or column: the policy never falls back to plaintext
   */
  treatmentFor(role: string, dataset: string, column: string): Treatment;
  /** The columns of a dataset a role sees (dropped ones left out), each with its treatment, in declared order. */
  viewOf(role: string, dataset: string): { column: ColumnSpec; treatment: Treatment }[];
  /**
   * The key group of a column: columns of the same semantic kind share a data key in every dataset, so the same
   * national ID gives the same token in customer_profile and card_transaction and joins survive masking.
   */
  keyGroupFor(dataset: string, column: string): string;
  /**
   * How a column is written to the lake from the raw zone on: what human roles see, except that `secret` columns
   * are sealed (DAEAD) rather than dropped, so SYSTEM can still recover them while every human view leaves them out.
   * Quasi-identifiers are stored generalised only: their full values never leave the landing zone.
   */
  storageTreatmentFor(dataset: string, column: string): Treatment;
}

const PLAINTEXT: Treatment = { method: 'plaintext', params: {} };

/**
 * Builds the masking policy from the contracts' classifications plus optional overrides.
 *
 * @example
 * const policy = createMaskingPolicy();
 * policy.treatmentFor('DA', 'customer_profile', 'birth_date'); // { method: 'generalize', params: { generaliser: 'birth_year' } }
 */
export function createMaskingPolicy(overrides: PolicyOverrides = new Map()): MaskingPolicy {
  const resolveColumn = (datasetName: string, columnName: string): { dataset: DatasetSpec; column: ColumnSpec } => {
    if (!isDatasetName(datasetName)) throw new PolicyDeniedError(`unknown dataset '${datasetName}': nothing is shown`);
    const dataset = getDataset(datasetName);
    const column = dataset.columns.find((candidate) => candidate.name === columnName);
    if (!column) throw new PolicyDeniedError(`unknown column '${datasetName}.${columnName}': nothing is shown`);
    return { dataset, column };
  };
  const assertRole = (role: string): Role => {
    if (!isRole(role)) throw new PolicyDeniedError(`unknown role '${role}' (known: ${ROLES.join(', ')}): nothing is shown`);
    return role;
  };
  const humanTreatment = (dataset: DatasetSpec, column: ColumnSpec): Treatment =>
    overrides.get(dataset.name)?.get(column.name) ?? defaultHumanTreatment(column);

  return {
    treatmentFor(role, datasetName, columnName) {
      const checkedRole = assertRole(role);
      const { dataset, column } = resolveColumn(datasetName, columnName);
      return checkedRole === 'SYSTEM' ? PLAINTEXT : humanTreatment(dataset, column);
    },
    viewOf(role, datasetName) {
      const checkedRole = assertRole(role);
      if (!isDatasetName(datasetName)) throw new PolicyDeniedError(`unknown dataset '${datasetName}': nothing is shown`);
      const dataset = getDataset(datasetName);
      return dataset.columns
        .map((column) => ({ column, treatment: checkedRole === 'SYSTEM' ? PLAINTEXT : humanTreatment(dataset, column) }))
        .filter(({ treatment }) => treatment.method !== 'drop');
    },
    storageTreatmentFor(datasetName, columnName) {
      const { dataset, column } = resolveColumn(datasetName, columnName);
      const human = humanTreatment(dataset, column);
      return human.method === 'drop' || human.method === 'redact' ? { method: 'daead', params: {} } : human;
    },
    keyGroupFor(datasetName, columnName) {
      const { dataset, column } = resolveColumn(datasetName, columnName);
      return column.semantic ?? `${dataset.name}.${column.name}`;
    },
  };
}
