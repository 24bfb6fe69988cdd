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

/** What a benchmark of this size will write: rows, extract bytes, and the disk its run needs at its peak. */
export interface DiskEstimate {
  readonly rows: number;
  readonly extractBytes: number;
  readonly neededBytes: number;
}

/** The rows, extract bytes and peak disk of `npm run bench:pipeline` at a size, before generating anything. */
export function estimateBenchDisk(customers: number, days: number, cardActivity: number): DiskEstimate {
  const rows = Math.ceil(customers * days * (OTHER_ROWS_PER_CUSTOMER_DAY + CARD_ROWS_PER_CUSTOMER_DAY * cardActivity));
  const extractBytes = rows * EXTRACT_BYTES_PER_ROW;
  return { rows, extractBytes, neededBytes: extractBytes * DISK_MULTIPLE_OF_EXTRACTS };
}

/** `12.3 GB` */
export function gigabytes(bytes: number): string {
  return `${(bytes / 1e9).toFixed(1)} GB`;
}
