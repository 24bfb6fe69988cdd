/** The service name on every log line, metric and trace of this Lambda. */
export const SERVICE_NAME = 'pipeline-trigger';

/** The DAG the trigger starts: `dag_id` of libs/pipeline-dag/dags/cur_pipeline.py. */
export const PIPELINE_DAG_ID = 'cur_pipeline';

/** The `pk` of the trigger's idempotency records in the `pipeline-triggers` table; each `sk` is a hashed batch id. */
export const BATCH_IDEMPOTENCY_PARTITION = 'idempotency#batch-accepted';

/**
 * How long a handled batch suppresses a redelivery of its event: 35 days, longer than EventBridge's 24-hour retry
 * window and an archive replay of the month.
 */
export const BATCH_IDEMPOTENCY_SECONDS = 35 * 24 * 60 * 60;

/** The metrics this service adds (namespace `CUR`, dimension `service`). Counts only. */
export const PIPELINE_TRIGGER_METRICS = {
  /** DAG runs this service created (one per business date). */
  dagRunsTriggered: 'DagRunsTriggered',
  /** Batches whose date still waits for other source datasets. */
  batchesAwaitingDate: 'BatchesAwaitingDate',
} as const;
