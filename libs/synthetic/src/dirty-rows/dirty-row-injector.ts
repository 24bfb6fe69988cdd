import type { DatasetSpec } from '@cur/contracts';
import type { Rng } from '../random/prng';
import { formatCentsGrouped, toFullWidth } from '../taiwan/text-forms';
import {
  DIRTY_ROW_KIND_NAMES,
  dirtyRowKindsFor,
  dirtyTargets,
  targetsOf,
  type DirtyRowKind,
  type DirtyRowRecord,
  type DirtyTargets,
} from './dirty-row-kinds';

const NULL_SENTINELS = ['NULL', 'null', '-', 'N/A'] as const;
const PADDING = [' ', '  ', '\u3000'] as const;

/** Settings of a {@link DirtyRowInjector}. @internal */
export interface DirtyRowInjectorOptions {
  /** Probability that a row is made dirty. */
  readonly rate: number;
  /** The file's own dirty-row stream, independent of the clean data's streams. */
  readonly rng: Rng;
  /** A valid national ID of no customer. */
  readonly orphanId: (rng: Rng) => string;
  /** Keep a {@link DirtyRowRecord} per dirty row. */
  readonly record: boolean;
}

/**
 * Makes a share of a file's rows dirty, one kind per dirty row, and counts rows and dirty rows by kind. A dirty row
 * still has every field, so the file stays valid RFC 4180 CSV with the declared row count.
 * @internal
 */
export class DirtyRowInjector {
  readonly kinds: readonly DirtyRowKind[];
  readonly byKind: Record<DirtyRowKind, number>;
  readonly log: DirtyRowRecord[] | undefined;
  readonly #columns: readonly string[];
  readonly #targets: DirtyTargets;
  readonly #options: DirtyRowInjectorOptions;
  #rows = 0;
  #dirty = 0;

  constructor(dataset: DatasetSpec, options: DirtyRowInjectorOptions) {
    this.kinds = dirtyRowKindsFor(dataset);
    this.byKind = Object.fromEntries(DIRTY_ROW_KIND_NAMES.map((kind) => [kind, 0])) as Record<DirtyRowKind, number>;
    this.log = options.record ? [] : undefined;
    this.#columns = dataset.columns.map((column) => column.name);
    this.#targets = dirtyTargets(dataset);
    this.#options = options;
  }

  /** Rows passed on so far, dirty ones and duplicates included. */
  get rowCount(): number {
    return this.#rows;
  }

  /** Dirty rows passed on so far. */
  get dirtyRows(): number {
    return this.#dirty;
  }

  /** Passes rows on, making some dirty in place. */
  *apply(rows: Iterable<string[]>): Generator<string[]> {
    const { rate, rng } = this.#options;
    for (const row of rows) {
      this.#rows += 1;
      if (rate <= 0 || rng.float() >= rate) {
        yield row;
        continue;
      }
      const kind = rng.pick(this.kinds);
      if (kind === 'duplicate_row') {
        yield row;
        this.#rows += 1;
        this.#note(kind, undefined);
        yield row;
        continue;
      }
      const column = rng.pick(this.#targets[targetsOf(kind)]);
      row[column] = this.#corrupt(kind, row[column] ?? '', rng);
      this.#note(kind, this.#columns[column]);
      yield row;
    }
  }

  #note(kind: DirtyRowKind, column: string | undefined): void {
    this.#dirty += 1;
    this.byKind[kind] += 1;
    this.log?.push(column === undefined ? { row: this.#rows, kind } : { row: this.#rows, kind, column });
  }

  #corrupt(kind: Exclude<DirtyRowKind, 'duplicate_row'>, value: string, rng: Rng): string {
    switch (kind) {
      case 'bad_id_checksum':
        return `${value.slice(0, -1)}${(Number(value.slice(-1)) + rng.int(1, 9)) % 10}`;
      case 'lowercase_id_letter':
        return value.slice(0, 1).toLowerCase() + value.slice(1);
      case 'full_width_digits':
        // A missing mobile gets one, so the row really carries full-width digits.
        return toFullWidth(value === '' ? `09${rng.digits(8)}` : value);
      case 'impossible_roc_date':
        return impossibleRocDate(value.slice(0, 3), rng);
      case 'required_field_empty':
        return '';
      case 'null_sentinel':
        return rng.pick(NULL_SENTINELS);
      case 'padded_spaces': {
        const pad = rng.pick(PADDING);
        const side = rng.int(0, 2);
        return `${side === 1 ? '' : pad}${value}${side === 0 ? '' : pad}`;
      }
      case 'orphan_customer':
        return this.#options.orphanId(rng);
      case 'thousands_separator': {
        let cents = Math.round(Number(value) * 100);
        // Only amounts of 1,000 and more have a separator to show.
        if (Math.abs(cents) < 100_000) cents = Math.sign(cents || 1) * (Math.abs(cents) + 100_000 * rng.int(1, 9));
        return formatCentsGrouped(cents);
      }
    }
  }
}

/** An ROC `YYYMMDD` date that no calendar has: month 13+, day 32+, 30 February or month 00. */
function impossibleRocDate(rocYear: string, rng: Rng): string {
  switch (rng.int(0, 3)) {
    case 0:
      return `${rocYear}${rng.int(13, 19)}${String(rng.int(1, 28)).padStart(2, '0')}`;
    case 1:
      return `${rocYear}${String(rng.int(1, 12)).padStart(2, '0')}${rng.int(32, 39)}`;
    case 2:
      return `${rocYear}02${rng.int(30, 31)}`;
    default:
      return `${rocYear}00${String(rng.int(1, 28)).padStart(2, '0')}`;
  }
}
