/** Defaults of the lineage's names; `LineageOptions` overrides them. */
export const LINEAGE_DEFAULTS = {
  /** The lake's tables are Glue Data Catalog tables, one database per zone. */
  platform: 'glue',
  /** The serving store the retrieval API reads. */
  servingPlatform: 'dynamodb',
  /** DataHub's environment (fabric) of every entity. */
  env: 'PROD',
  /** The DAG runs in MWAA; DataHub's Airflow plugin names flows `(airflow, dag_id, env)`. */
  orchestrator: 'airflow',
  flowId: 'cur_pipeline',
  /** Who owns the flow and the jobs. */
  flowOwner: 'data-engineering',
  /** The actor of audit stamps. */
  actor: 'urn:li:corpuser:cur-lineage',
} as const;

/** The glossary of classifications: each column carries the term of its contract classification. */
export const CLASSIFICATION_GLOSSARY_NODE = 'cur.classification';

/** Tag of a column whose stored values are tokens (masked deterministically), not the source's values. */
export const TOKENISED_TAG = 'urn:li:tag:cur.tokenised';

/** Tag of a column whose classification is quasi, direct or secret. */
export const SENSITIVE_TAG = 'urn:li:tag:cur.sensitive';

/** The dataset name of the serving store, the output of a step to `serving-store` that declares none. */
export const SERVING_STORE_DATASET = 'serving';
