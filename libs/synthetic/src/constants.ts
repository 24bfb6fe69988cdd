import type { SourceDatasetName } from '@cur/contracts';

/** Default number of customers. */
export const DEFAULT_CUSTOMERS = 10_000;

/** Default number of consecutive business days. */
export const DEFAULT_DAYS = 1;

/** Default seed. */
export const DEFAULT_SEED = 1;

/** Default first business date (ISO). */
export const DEFAULT_START_DATE = '2026-11-25';

/** Default share of rows per file that are deliberately dirty. */
export const DEFAULT_DIRTY_RATE = 0.005;

/** Datasets written in Big5 (CP950) by default, as the core banking extracts are. */
export const DEFAULT_BIG5_DATASETS: readonly SourceDatasetName[] = ['customer_profile', 'account_balance'];

/** Datasets written gzip-compressed (`.csv.gz`) by default. */
export const DEFAULT_GZIP_DATASETS: readonly SourceDatasetName[] = ['card_transaction'];

/**
 * Largest supported customer count. National IDs are drawn without repetition from 2 x 10^7 (gender digit, serial)
 * pairs; the half left over guarantees room for orphan IDs that belong to no customer.
 */
export const MAX_CUSTOMERS = 10_000_000;

/** Largest supported number of days in one run. */
export const MAX_DAYS = 366;

/** Earliest supported start date: every birth date (ages up to 90) must still have a positive ROC year. */
export const MIN_START_DATE = '2005-01-01';

/** Latest supported start date: ROC years are written with 3 digits. */
export const MAX_START_DATE = '2900-12-31';

/**
 * Line end of every landing CSV. RFC 4180 specifies CRLF, and the on-premises (Windows) exporters write it.
 */
export const CSV_LINE_END = '\r\n';

/**
 * Target size, in UTF-16 code units, of one text chunk before it is encoded, compressed, hashed and handed to the
 * sink. Files are never held whole in memory.
 * @internal
 */
export const TEXT_CHUNK_CHARS = 64 * 1024;

/**
 * gzip level of `.csv.gz` files. Output is byte-identical for the same zlib build (Node version); the header
 * carries no timestamp or file name.
 * @internal
 */
export const GZIP_LEVEL = 6;

/** A `rows-written` progress event is sent at most once per this many rows of a file. */
export const PROGRESS_EVERY_ROWS = 50_000;

/** Most a card's transaction rate can be multiplied by (`cardActivity`). */
export const MAX_CARD_ACTIVITY = 50;
