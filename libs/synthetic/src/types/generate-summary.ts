import type { SourceDatasetName, LandingEncoding } from '@cur/contracts';
import type { DirtyRowKind, DirtyRowRecord } from '../dirty-rows/dirty-row-kinds';
import type { GenerateOptions } from '../generate-options';

/** One written batch: a data file and its control file. */
export interface GeneratedBatch {
  readonly dataset: SourceDatasetName;
  /** ISO business date. */
  readonly businessDate: string;
  /** `<dataset>_<YYYYMMDD>.csv` or `.csv.gz` */
  readonly dataFile: string;
  /** `<dataset>_<YYYYMMDD>.ctl` */
  readonly controlFile: string;
  readonly encoding: LandingEncoding;
  /** Data rows (header excluded), dirty rows and duplicates included; equals the control file's `rowCount`. */
  readonly rowCount: number;
  /** Rows made dirty on purpose. */
  readonly dirtyRows: number;
  /** Dirty rows per kind (every kind present, 0 when none). */
  readonly dirtyRowsByKind: Readonly<Record<DirtyRowKind, number>>;
  /** Size of the data file as written (compressed size for `.csv.gz`). */
  readonly bytes: number;
  /** Lower-case hex SHA-256 of the data file as written; equals the control file's `sha256`. */
  readonly sha256: string;
  /** Every dirty row, when the options ask for it. */
  readonly dirtyRowLog?: readonly DirtyRowRecord[];
}

/** What a run wrote. */
export interface GenerateSummary {
  /** The options with defaults applied. */
  readonly options: GenerateOptions;
  /** In write order: day by day, datasets in contract order. */
  readonly batches: readonly GeneratedBatch[];
  readonly totalRows: number;
  readonly totalBytes: number;
  readonly totalDirtyRows: number;
}

/** Progress of a run, for a progress display. */
export type GenerateProgressEvent =
  | { readonly type: 'batch-started'; readonly dataset: SourceDatasetName; readonly businessDate: string; readonly batchNumber: number; readonly batchCount: number }
  | { readonly type: 'rows-written'; readonly dataset: SourceDatasetName; readonly businessDate: string; readonly rows: number }
  | { readonly type: 'batch-finished'; readonly batch: GeneratedBatch; readonly batchNumber: number; readonly batchCount: number };

/** Receives progress events; must not throw (an exception aborts the run). */
export type GenerateProgressListener = (event: GenerateProgressEvent) => void;
