import type { ColumnSpec, ColumnType, DatasetSpec, Zone } from '@cur/contracts';
import type { MaskingPolicy } from './masking-policy';

/**
 * The type a column is stored as in a zone, which is not always its contract type: landing and raw hold the extract's
 * text (the mask step parses nothing), and from transformed on a column the policy stores masked (a token, a
 * generalised value) stays text whatever its declared type; consumption and the mart are computed, in contract types.
 * The one answer for the Glue Data Catalog (what Athena and Spectrum read the files as) and the pipeline's plans.
 *
 * @param dataset - the dataset the column belongs to
 * @param column - one of its columns
 * @param zone - the zone whose files are meant
 * @param policy - the masking policy the mask step stores with
 * @example
 * storedTypeOf(getDataset('customer_profile'), birthDate, 'transformed', createMaskingPolicy()); // 'string' (generalised)
 */
export function storedTypeOf(dataset: DatasetSpec, column: ColumnSpec, zone: Zone, policy: MaskingPolicy): ColumnType {
  if (zone === 'landing' || zone === 'raw') return 'string';
  if (zone === 'transformed' && policy.storageTreatmentFor(dataset.name, column.name).method !== 'plaintext') return 'string';
  return column.type;
}
