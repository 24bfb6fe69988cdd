import { describe, expect, it } from 'vitest';
import { DATASETS } from '@cur/contracts';
import { DirtyRowInjector } from '../../../src/dirty-rows/dirty-row-injector';
import { Rng } from '../../../src/random/prng';
import { columnProblem, nationalIdIsValid } from '../../helpers/contract-checks';

const CLEAN_CARD_ROW = ['TX20261125000000001', '4556231234567897', 'A123456789', '2026-11-25 12:00:00', '5411', '全聯福利中心', '650.00', 'TWD', 'POS'];
const dataset = DATASETS.card_transaction;

function inject(rate: number, rows: number, seed = 1): { injector: DirtyRowInjector; out: string[][] } {
  const injector = new DirtyRowInjector(dataset, { rate, rng: Rng.of(seed), orphanId: () => 'Z100000002', record: true });
  const out = [...injector.apply(Array.from({ length: rows }, () => [...CLEAN_CARD_ROW]))].map((row) => [...row]);
  return { injector, out };
}

describe('Class: DirtyRowInjector', () => {
  it('passes every row through unchanged at rate 0', () => {
    const { injector, out } = inject(0, 500);
    expect(out).toEqual(Array.from({ length: 500 }, () => CLEAN_CARD_ROW));
    expect(injector.rowCount).toBe(500);
    expect(injector.dirtyRows).toBe(0);
  });

  it('makes about `rate` of the rows dirty, counts each kind, and logs the row and column', () => {
    // Act
    const { injector, out } = inject(0.2, 5_000);

    // Assess
    const duplicates = injector.byKind.duplicate_row;
    expect(injector.rowCount).toBe(5_000 + duplicates);
    expect(out).toHaveLength(injector.rowCount);
    expect(injector.dirtyRows / 5_000).toBeGreaterThan(0.18);
    expect(injector.dirtyRows / 5_000).toBeLessThan(0.22);
    expect(Object.values(injector.byKind).reduce((a, b) => a + b, 0)).toBe(injector.dirtyRows);
    expect(injector.log).toHaveLength(injector.dirtyRows);
    for (const kind of injector.kinds) expect(injector.byKind[kind]).toBeGreaterThan(0);
    expect(injector.byKind.impossible_roc_date).toBe(0);

    for (const record of injector.log ?? []) {
      const row = out[record.row - 1] as string[];
      expect(row).toHaveLength(CLEAN_CARD_ROW.length);
      if (record.kind === 'duplicate_row') {
        expect(row).toEqual(out[record.row - 2]);
        continue;
      }
      const column = dataset.columns.findIndex((c) => c.name === record.column);
      const value = row[column] as string;
      if (record.kind === 'orphan_customer') {
        expect(value).toBe('Z100000002');
        expect(nationalIdIsValid(value)).toBe(true);
      } else {
        expect(columnProblem(dataset, record.column ?? '', value, '2026-11-25'), `${record.kind} ${value}`).toBeDefined();
      }
    }
    const clean = new Set((injector.log ?? []).map((record) => record.row));
    out.forEach((row, i) => {
      if (!clean.has(i + 1)) expect(row).toEqual(CLEAN_CARD_ROW);
    });
  });

  it('writes each kind as the brief describes it', () => {
    const { injector, out } = inject(0.5, 3_000, 9);
    const values = (kind: string): string[] =>
      (injector.log ?? []).filter((r) => r.kind === kind).map((r) => out[r.row - 1]?.[dataset.columns.findIndex((c) => c.name === r.column)] as string);
    expect(values('lowercase_id_letter')).toContain('a123456789');
    expect(values('thousands_separator').every((v) => /^-?\d{1,3}(,\d{3})+\.\d{2}$/.test(v))).toBe(true);
    expect(values('full_width_digits').every((v) => /^[０-９．－]+$/.test(v))).toBe(true);
    expect(new Set(values('null_sentinel'))).toEqual(new Set(['NULL', 'null', '-', 'N/A']));
    expect(values('required_field_empty').every((v) => v === '')).toBe(true);
    expect(values('padded_spaces').every((v) => v !== v.trim() || /^\u3000|\u3000$/.test(v))).toBe(true);
    expect(values('bad_id_checksum').every((v) => /^A12345678[0-8]$/.test(v))).toBe(true);
  });

  it('writes impossible ROC dates where a dataset has ROC dates', () => {
    const profile = DATASETS.customer_profile;
    const row = ['A123456789', '陳志明', '0780512', 'M', '0912345678', '', '臺北市中正區仁愛路1號', '001', '1100101', '1', '02'];
    const injector = new DirtyRowInjector(profile, { rate: 1, rng: Rng.of(4), orphanId: () => '', record: true });
    const out = [...injector.apply(Array.from({ length: 400 }, () => [...row]))].map((r) => [...r]);
    const dates = (injector.log ?? []).filter((r) => r.kind === 'impossible_roc_date').map((r) => out[r.row - 1]?.[r.column === 'birth_date' ? 2 : 8] as string);
    expect(dates.length).toBeGreaterThan(10);
    for (const date of dates) expect(columnProblem(profile, 'birth_date', date, '')).toBe('not an ROC date');
    const mobiles = (injector.log ?? []).filter((r) => r.kind === 'full_width_digits').map((r) => out[r.row - 1]?.[4]);
    expect(mobiles).toContain('０９１２３４５６７８');
  });
});
