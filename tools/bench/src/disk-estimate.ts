/**
 * How much disk the pipeline benchmark needs, from what it generates. Measured on 2026-12-07 at 300,000 customers x 1
 * day (card activity 1): 1,951,248 rows, 150 MB of extracts (77 bytes a row); 5.48 rows a customer a day besides the
 * card transactions (profile, balances, digital activity) and 1.02 card transactions per unit of card activity.
 */
export const EXTRACT_BYTES_PER_ROW = 80;
const OTHER_ROWS_PER_CUSTOMER_DAY = 5.5;
const CARD_ROWS_PER_CUSTOMER_DAY = 1.05;

/**
 * Peak disk of a run as a multiple of its extracts: the extracts, the baseline's and floor's Parquet, the landing copy
 * and the lake's zones of the state folder, DuckDB's spill files. The 300,000-customer run of 2026-12-07 peaked at
 * 2.9x (441 MB for 150 MB of extracts; `du` of the benchmark's folder every 3 s); rounded up for headroom.
 */
export const DISK_MULTIPLE_OF_EXTRACTS = 4;

/**
 * The mask step's own disk at its peak, per row masked at once: the batch staged compressed in the step's database
 * file, DuckDB's spill and the Parquet file before upload (the whole SYSTEM scratch area). Measured on 2026-12-07 with
 * `tools/bench/src/mask-spill-profile.ts` on the 1M-customer x 10 card_transaction batch (10,192,434 rows) at 410MiB,
 * a tenth of the 4GiB default as the batch is a tenth of the 10M run's: 438 MB at the peak, 42.9 bytes a row (309.1
 * before the step staged compressed and joined in parts: docs/benchmarks.md, "The mask step's disk"); rounded up.
 * The 300,000-customer run behind {@link DISK_MULTIPLE_OF_EXTRACTS} spilled almost nothing, so this comes on top.
 */
export const MASK_PEAK_BYTES_PER_ROW = 50;

/** What a benchmark of this size will write: rows, extract bytes, and the disk its run needs at its peak. */
export interface DiskEstimate {
  readonly rows: number;
  readonly extractBytes: number;
  /** The mask step's peak, included in `neededBytes`. */
  readonly maskPeakBytes: number;
  readonly neededBytes: number;
}

/** The rows, extract bytes and peak disk of `npm run bench:pipeline` at a size, before generating anything. */
export function estimateBenchDisk(customers: number, days: number, cardActivity: number): DiskEstimate {
  const rows = Math.ceil(customers * days * (OTHER_ROWS_PER_CUSTOMER_DAY + CARD_ROWS_PER_CUSTOMER_DAY * cardActivity));
  const extractBytes = rows * EXTRACT_BYTES_PER_ROW;
  // Two batches are masked side by side: at most twice the largest batch (a day's card transactions, or a bound on
  // any other dataset's: all its other rows), and never more than every row.
  const largestBatchRows = customers * Math.max(CARD_ROWS_PER_CUSTOMER_DAY * cardActivity, OTHER_ROWS_PER_CUSTOMER_DAY);
  const maskPeakBytes = Math.ceil(Math.min(rows, 2 * largestBatchRows)) * MASK_PEAK_BYTES_PER_ROW;
  return { rows, extractBytes, maskPeakBytes, neededBytes: extractBytes * DISK_MULTIPLE_OF_EXTRACTS + maskPeakBytes };
}

/** `12.3 GB` */
export function gigabytes(bytes: number): string {
  return `${(bytes / 1e9).toFixed(1)} GB`;
}
