/**
 * The platform's key-value tables and notification topics, by logical name. Adapters map a logical name to a
 * physical one (a table prefix per stage); the CDK app creates exactly these. Every table is keyed by a string
 * partition key `pk` and a string sort key `sk`.
 */
export const TABLES = {
  batchLedger: { name: 'batch-ledger', description: 'one item per landing batch: status, checks, quarantine reason' },
  maskingKeys: { name: 'masking-keys', description: 'wrapped data keys and their versions; never plaintext keys' },
  audit: { name: 'audit-log', description: 'who detokenized or was refused, which column, how many values; never values' },
  serving: { name: 'serving', description: 'customer tags and metrics for the retrieval API' },
  dqAlerts: { name: 'dq-alerts', description: 'data quality alerts already sent, so a repeated failure is notified once' },
  pipelineTriggers: { name: 'pipeline-triggers', description: 'each Batch Accepted event the pipeline-trigger handled, so a redelivery starts no second DAG run; batch ids and dates only' },
  modelHistory: { name: 'model-history', description: 'model versions (status timeline, hyperparameters, metrics, data lineage) and the scoring pointer; never data values' },
} as const;

/** A logical table name. */
export type TableName = (typeof TABLES)[keyof typeof TABLES]['name'];

/** Every logical table name. */
export const TABLE_NAMES = Object.values(TABLES).map((table) => table.name) as TableName[];

/** Notification topics, by logical name. */
export const TOPICS = {
  dqAlerts: { name: 'dq-alerts', description: 'data quality failures and warnings' },
  pipelineFailures: { name: 'pipeline-failures', description: 'pipeline steps that failed after their retries' },
} as const;

/** A logical topic name. */
export type TopicName = (typeof TOPICS)[keyof typeof TOPICS]['name'];

/** Every logical topic name. */
export const TOPIC_NAMES = Object.values(TOPICS).map((topic) => topic.name) as TopicName[];

/**
 * The deployable app that loads the `serving` table at the end of each pipeline run: its Lambda is
 * `cur-<stage>-serving-load`, the function the MWAA DAG's `serving` task invokes. The one source of that name for the
 * CDK (infra's `APP_NAMES`) and the DAG generator (libs/lineage `renderAirflowDag`).
 */
export const SERVING_LOAD_APP = 'serving-load';
