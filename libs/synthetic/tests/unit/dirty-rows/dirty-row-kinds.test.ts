import { describe, expect, it } from 'vitest';
import { DATASETS } from '@cur/contracts';
import { DIRTY_ROW_KINDS, DIRTY_ROW_KIND_NAMES, dirtyRowKindsFor } from '../../../src/index';

describe('Function: dirtyRowKindsFor', () => {
  it('picks the kinds each source dataset can carry, from its contract', () => {
    expect(dirtyRowKindsFor(DATASETS.customer_profile)).toEqual([
      'bad_id_checksum', 'lowercase_id_letter', 'full_width_digits', 'impossible_roc_date', 'required_field_empty', 'null_sentinel', 'padded_spaces', 'duplicate_row',
    ]);
    expect(dirtyRowKindsFor(DATASETS.account_balance)).toEqual([
      'bad_id_checksum', 'lowercase_id_letter', 'full_width_digits', 'impossible_roc_date', 'required_field_empty', 'null_sentinel', 'padded_spaces', 'duplicate_row', 'thousands_separator',
    ]);
    expect(dirtyRowKindsFor(DATASETS.card_transaction)).toEqual([
      'bad_id_checksum', 'lowercase_id_letter', 'full_width_digits', 'required_field_empty', 'null_sentinel', 'padded_spaces', 'duplicate_row', 'orphan_customer', 'thousands_separator',
    ]);
    expect(dirtyRowKindsFor(DATASETS.digital_activity)).toEqual([
      'bad_id_checksum', 'lowercase_id_letter', 'required_field_empty', 'null_sentinel', 'padded_spaces', 'duplicate_row',
    ]);
  });

  it('describes every kind with the treatment cleanup should give it', () => {
    expect(DIRTY_ROW_KIND_NAMES).toHaveLength(10);
    for (const kind of DIRTY_ROW_KIND_NAMES) expect(['repair', 'reject', 'dedupe']).toContain(DIRTY_ROW_KINDS[kind].expected);
  });
});
