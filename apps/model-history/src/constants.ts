/** The service name on every log line, metric and trace of this Lambda. */
export const SERVICE_NAME = 'model-history';

/** The service's metrics (namespace CUR, dimension `service`): counts only. */
export const MODEL_HISTORY_METRICS = {
  /** Exports rewritten after a version reached a final status. */
  exportsWritten: 'ModelHistoryExportsWritten',
  /** Exports that failed after the version was recorded (the version is kept; the next final status rewrites them). */
  exportsFailed: 'ModelHistoryExportsFailed',
} as const;

/** The code logged when the exports could not be rewritten. */
export const MODEL_HISTORY_EXPORT_FAILED = 'MODEL_HISTORY_EXPORT_FAILED';

/**
 * Where the Lambda's DuckDB writes the exports before they are put to S3, and spills (Lambda's only writable
 * folder). The files are removed after each export.
 */
export const DEFAULT_SCRATCH_DIR = '/tmp/model-history';

/** DuckDB's memory for the export: a few rows per version, far below the function's memory. */
export const EXPORT_ENGINE_MEMORY_LIMIT = '256MB';
