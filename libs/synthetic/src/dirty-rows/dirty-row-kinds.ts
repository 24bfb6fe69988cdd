import type { DatasetSpec } from '@cur/contracts';

/**
 * The kinds of deliberately dirty rows, what each looks like, and what cleanup is expected to do with it:
 * `repair` (the transform step can fix the value), `reject` (the row goes to rejects with a coded reason) or
 * `dedupe` (the extra copy is dropped).
 */
export const DIRTY_ROW_KINDS = {
  bad_id_checksum: { expected: 'reject', description: 'a national ID whose check digit is wrong' },
  lowercase_id_letter: { expected: 'repair', description: 'a national ID with a lower-case letter (a123456789)' },
  full_width_digits: { expected: 'repair', description: 'a mobile number or amount written with full-width digits (０９１２…, １２３．５０)' },
  impossible_roc_date: { expected: 'reject', description: 'an ROC date that does not exist (0781332, 0780230)' },
  required_field_empty: { expected: 'reject', description: 'an empty value in a column that is not nullable' },
  null_sentinel: {
    expected: 'repair',
    description: 'NULL, null, - or N/A where a value belongs (a nullable column when the dataset has one); becomes null, and is rejected if the column is required',
  },
  padded_spaces: { expected: 'repair', description: 'leading and/or trailing spaces (ASCII or the ideographic U+3000) around a value' },
  duplicate_row: { expected: 'dedupe', description: 'an exact copy of the previous row' },
  orphan_customer: { expected: 'reject', description: 'a card transaction whose (valid) cust_id is not in customer_profile' },
  thousands_separator: { expected: 'repair', description: 'an amount with thousands separators, quoted ("1,234.50")' },
} as const satisfies Record<string, { readonly expected: 'repair' | 'reject' | 'dedupe'; readonly description: string }>;

/** One kind of dirty row. */
export type DirtyRowKind = keyof typeof DIRTY_ROW_KINDS;

/** Every dirty-row kind, in declaration order. */
export const DIRTY_ROW_KIND_NAMES = Object.keys(DIRTY_ROW_KINDS) as DirtyRowKind[];

/** Datasets whose rows may carry an orphan `cust_id` (the brief: card transactions of unknown customers). */
export const ORPHAN_DATASETS: readonly string[] = ['card_transaction'];

/** A dirty row, as recorded when `recordDirtyRows` is on. */
export interface DirtyRowRecord {
  /** 1-based data row number (the header is not counted). */
  readonly row: number;
  readonly kind: DirtyRowKind;
  /** The column that was made dirty; absent for `duplicate_row`. */
  readonly column?: string;
}

/** Column indexes of a dataset that each dirty-row kind can target. @internal */
export interface DirtyTargets {
  readonly nationalId: readonly number[];
  readonly fullWidth: readonly number[];
  readonly rocDate: readonly number[];
  readonly required: readonly number[];
  readonly sentinel: readonly number[];
  readonly any: readonly number[];
  readonly orphan: readonly number[];
  readonly decimal: readonly number[];
}

/**
 * Which columns of a dataset each kind can target, derived from the contract (semantic, sourceFormat, nullable,
 * references), so a new dataset gets dirty rows without code here.
 * @internal
 */
export function dirtyTargets(dataset: DatasetSpec): DirtyTargets {
  const indexes = (keep: (column: DatasetSpec['columns'][number]) => boolean): number[] =>
    dataset.columns.flatMap((column, i) => (keep(column) ? [i] : []));
  const nullable = indexes((column) => column.nullable);
  const referencesCustomer = new Set(
    dataset.references.filter((reference) => reference.dataset === 'customer_profile' && reference.targetColumn === 'cust_id').map((reference) => reference.column),
  );
  return {
    nationalId: indexes((column) => column.semantic === 'national_id'),
    fullWidth: indexes((column) => column.semantic === 'mobile' || column.sourceFormat === 'decimal'),
    rocDate: indexes((column) => column.sourceFormat === 'roc_date'),
    required: indexes((column) => !column.nullable),
    sentinel: nullable.length > 0 ? nullable : indexes((column) => !dataset.primaryKey.includes(column.name)),
    any: indexes(() => true),
    orphan: ORPHAN_DATASETS.includes(dataset.name) ? indexes((column) => referencesCustomer.has(column.name)) : [],
    decimal: indexes((column) => column.sourceFormat === 'decimal'),
  };
}

const TARGETS_OF: Readonly<Record<DirtyRowKind, keyof DirtyTargets>> = {
  bad_id_checksum: 'nationalId',
  lowercase_id_letter: 'nationalId',
  full_width_digits: 'fullWidth',
  impossible_roc_date: 'rocDate',
  required_field_empty: 'required',
  null_sentinel: 'sentinel',
  padded_spaces: 'any',
  duplicate_row: 'any',
  orphan_customer: 'orphan',
  thousands_separator: 'decimal',
};

/**
 * The dirty-row kinds that apply to a dataset (e.g. no `impossible_roc_date` where no column is an ROC date).
 *
 * @example
 * dirtyRowKindsFor(getDataset('digital_activity')); // no ROC dates, amounts, mobiles or orphans
 */
export function dirtyRowKindsFor(dataset: DatasetSpec): DirtyRowKind[] {
  const targets = dirtyTargets(dataset);
  return DIRTY_ROW_KIND_NAMES.filter((kind) => targets[TARGETS_OF[kind]].length > 0);
}

/** The target column kind of each dirty-row kind. @internal */
export function targetsOf(kind: DirtyRowKind): keyof DirtyTargets {
  return TARGETS_OF[kind];
}
