/** The service name on every log line, metric and trace of this Lambda. */
export const SERVICE_NAME = 'serving-load';

/** The service's metrics (namespace CUR, dimension `service`): counts only. */
export const SERVING_LOAD_METRICS = {
  /** Loads that flipped the serving store to a new version. */
  loadsCompleted: 'ServingLoadsCompleted',
  /** Customers in the version a load made the served one. */
  customersLoaded: 'ServingCustomersLoaded',
  /** Items the load wrote to the serving table. */
  itemsWritten: 'ServingItemsWritten',
} as const;

/**
 * Where the Lambda copies the Parquet files a load reads before DuckDB reads them (Lambda's only writable folder),
 * and where DuckDB spills. Emptied after every invocation, so a warm container starts each load with a clean folder.
 */
export const DEFAULT_SCRATCH_DIR = '/tmp/serving-load';

/** DuckDB's share of the function's memory; the rest is Node's heap, the SDK's buffers and DuckDB's overhead. */
export const ENGINE_MEMORY_SHARE = 0.6;

/** DuckDB's memory when the function's memory is unknown (outside Lambda). */
export const DEFAULT_ENGINE_MEMORY_MB = 1024;
