import { PLATFORM_EVENT_SOURCE, SERVING_LOAD_APP, trainingJobNamePrefix } from '@cur/contracts';
import { MODEL_ARTEFACT_PREFIX, MODEL_EXPORT_PREFIX } from '@cur/model-registry';
import type { TableName, TopicName } from '@cur/contracts';
import type { BucketName } from './platform-names';

/**
 * Every deployable Lambda app, one stack each. Must equal the folders under `apps/` and the `implicitDependencies` of
 * `infra/project.json` (a unit test holds all three together). The names are also the stacks', functions' and
 * roles' suffixes, so renaming one replaces its resources.
 */
export const APP_NAMES = [
  'ingestion-controller',
  'masking-key-service',
  'dq-notifier',
  'model-history',
  'retrieval-api',
  'oracle-replicator',
  'pipeline-trigger',
  'lineage-emitter',
  SERVING_LOAD_APP,
] as const;

/** One deployable app. */
export type AppName = (typeof APP_NAMES)[number];

/**
 * Whose data an app's role may decrypt. `system` roles are named `cur-<stage>-system-<app>`, and their exact ARNs
 * (`PlatformNames.systemPrincipalArns`) are the only principals the landing and keys-service KMS keys let decrypt
 * (plaintext); `service` roles see masked data only.
 */
export const PRINCIPAL_CLASSES = ['system', 'service'] as const;

/** One principal class. */
export type PrincipalClass = (typeof PRINCIPAL_CLASSES)[number];

/** An event pattern's `detail`: each field's allowed values, or a prefix they start with. */
export type EventDetailPattern = Readonly<Record<string, readonly (string | { readonly prefix: string })[]>>;

/** What starts an app. */
export type AppTrigger =
  | { readonly kind: 'landing-control-file' }
  | { readonly kind: 'schedule' }
  | {
      readonly kind: 'event-rule';
      /** `default` for AWS service events, `platform` for the platform's own (`cur.platform`) bus. */
      readonly bus: 'default' | 'platform';
      readonly source: string;
      readonly detailType: string;
      /**
       * Extra `detail` matching, EventBridge pattern syntax: fixed, or of the stage (a name prefix of the stage's own
       * resources).
       */
      readonly detail?: EventDetailPattern | ((stage: string) => EventDetailPattern);
      /**
       * Why the rule is deployed disabled: the app is not ready to take live events in AWS yet (a service that only
       * fails must not be triggered). Absent: the rule is enabled.
       */
      readonly disabledBecause?: string;
    }
  | { readonly kind: 'http-api'; readonly routes: readonly string[] }
  | {
      /**
       * A task of the MWAA DAG invokes the function synchronously (`LambdaInvokeFunctionOperator`) and fails with it:
       * no event rule, no dead-letter queue. The orchestration stack grants its execution role `lambda:InvokeFunction`
       * on this function alone.
       */
      readonly kind: 'dag-task';
      /** The DAG's task id, e.g. `serving`. */
      readonly taskId: string;
    };

/** Which stored data an app reads or writes; KMS grants follow from the keys of these resources. */
export interface AppDataAccess {
  /** Buckets read (GetObject, ListBucket), optionally under a key prefix. */
  readonly readBuckets?: readonly { readonly bucket: BucketName; readonly prefix?: string }[];
  /** Buckets written (PutObject, DeleteObject), optionally under a key prefix. */
  readonly writeBuckets?: readonly { readonly bucket: BucketName; readonly prefix?: string }[];
  /** Objects read by key pattern (GetObject only, `*` a wildcard; no ListBucket, so a missing key is refused as 403). */
  readonly readObjects?: readonly { readonly bucket: BucketName; readonly keyPattern: string }[];
  /** Objects created or overwritten under a key prefix (PutObject only: no DeleteObject, no ListBucket). */
  readonly putObjects?: readonly { readonly bucket: BucketName; readonly prefix: string }[];
  readonly readTables?: readonly TableName[];
  readonly writeTables?: readonly TableName[];
  readonly publishTopics?: readonly TopicName[];
  /** PutEvents on the platform bus with source `cur.platform`. */
  readonly putPlatformEvents?: boolean;
  /** Direct use of the keys-service KMS key (wrapping and unwrapping masking data keys); sets `CUR_MASKING_KEY_ID`. */
  readonly useKeysServiceKey?: boolean;
  /** glue:GetDataQualityResult, to read the rule results an evaluation event only counts. */
  readonly readDataQualityResults?: boolean;
}

/** How one app is deployed; per-stage overrides live in the stage config's `functions`. */
export interface AppSpec {
  readonly description: string;
  readonly principalClass: PrincipalClass;
  readonly triggers: readonly AppTrigger[];
  readonly access: AppDataAccess;
  /** @default DEFAULT_FUNCTION_TIMEOUT_SECONDS */
  readonly timeoutSeconds?: number;
  /** @default DEFAULT_FUNCTION_MEMORY_MB */
  readonly memorySize?: number;
  /** Reserved concurrency; undefined leaves the function unreserved. */
  readonly reservedConcurrency?: number;
  /**
   * The instruction set the function runs on. An app that ships a native addon beside its bundle runs on the one the
   * addon was built and tested for.
   * @default 'arm64'
   */
  readonly architecture?: 'arm64' | 'x86_64';
  /**
   * Lambda's `/tmp`, in MB (512 to 10240), for an app that copies files there.
   * @default 512, Lambda's own
   */
  readonly ephemeralStorageMb?: number;
  /**
   * The HTTP APIs of other apps this app calls. Each called app publishes its URL in SSM
   * ({@link PlatformNames.apiUrlParameterName}); this app's stack reads it at deploy time into the environment variable
   * and deploys after the called app's stack.
   */
  readonly callsApis?: readonly ApiCall[];
  /**
   * The app replicates to the Oracle replica: its Lambda runs in the replica VPC with the security group the oracle
   * stack admits to the database, gets `CUR_DMS_TASK_ARN`, `CUR_ORACLE_CONNECT_STRING`, `CUR_ORACLE_SECRET_ID` and
   * the Parameters and Secrets extension, may drive the one DMS task and read the replica owner's secret, and its
   * stack deploys after the oracle stack.
   * @default false
   */
  readonly oracleReplica?: boolean;
  /**
   * The app starts runs of the pipeline's DAG: it gets `CUR_MWAA_ENVIRONMENT` (the orchestration stack's MWAA
   * environment), may call `airflow:InvokeRestApi` on it as Airflow's `User` role, and its stack deploys after the
   * orchestration stack.
   * @default false
   */
  readonly startsDagRuns?: boolean;
  /**
   * The app sends lineage to DataHub: it gets `CUR_DATAHUB_ENDPOINT_PARAMETER` (the platform stack's
   * `/cur-<stage>/datahub/endpoint`) and `CUR_DATAHUB_CONNECTION_SECRET_ID` (the one DataHub secret, the Airflow
   * connection `cur-<stage>/airflow/connections/datahub_rest_default` whose `password` is the token, created and
   * rotated by the orchestration stack), the Parameters and Secrets extension to read both at run time, may read that
   * one parameter and that one secret, runs in the orchestration VPC (where DataHub is reachable) with the security
   * group that stack gives it, and its stack deploys after the orchestration stack.
   * @default false
   */
  readonly emitsLineage?: boolean;
  /**
   * An IAM-authorised function URL (SigV4, service `lambda`), for callers that are IAM roles rather than bearers of
   * the identity provider's tokens: its URL is published in SSM (`PlatformNames.functionUrlParameterName`), and the
   * pipeline's SYSTEM role (`cur-<stage>-system-pipeline`, the Glue mask job's) is named in the environment variable
   * given, the one IAM caller the app takes as SYSTEM. No resource policy: only identity policies of this account (the
   * mask job's) grant `lambda:InvokeFunctionUrl`.
   */
  readonly iamFunctionUrl?: { readonly systemCallerEnvironmentVariable: string };
}

/** One HTTP API an app calls, and the environment variable its handler reads the URL from. */
export interface ApiCall {
  readonly app: AppName;
  readonly environmentVariable: string;
}

/** Lambda timeout unless an app says otherwise. */
export const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 60;

/** Lambda memory unless an app says otherwise; arm64 at 512 MB keeps cold starts of a 600 kB bundle short. */
export const DEFAULT_FUNCTION_MEMORY_MB = 512;

/**
 * Apps whose Lambda is not one app stack's but part of another stack's construct: the DataHub token rotation, which
 * the orchestration stack deploys with the secret it rotates (`DataHubConnectionSecret`). Their bundles build like
 * every app's, and infra depends on them.
 */
export const CONSTRUCT_FUNCTION_APPS = ['datahub-token-rotation'] as const;

/** The event pattern's `detail-type` of a platform event that feeds the business date's DAG run. */
export const BATCH_ACCEPTED = 'Batch Accepted';

/** The event pattern's `detail-type` of a platform event that starts Oracle replication. */
export const LAYER_PUBLISHED = 'Layer Published';

/**
 * The deployment of every app: its trigger, its data and its principal class. Triggers follow each app's handler
 * (`apps/<name>/src/handler.ts`), which validates exactly these event shapes.
 */
export const APP_SPECS: Readonly<Record<AppName, AppSpec>> = {
  'ingestion-controller': {
    description: 'Checks each landing batch, records it in the ledger once, quarantines bad ones, starts the pipeline',
    // Reads plaintext landing files to check row counts and checksums, so it is a SYSTEM principal.
    principalClass: 'system',
    triggers: [{ kind: 'landing-control-file' }, { kind: 'schedule' }],
    access: {
      readBuckets: [{ bucket: 'landing' }],
      writeBuckets: [{ bucket: 'landing' }, { bucket: 'quarantine' }, { bucket: 'system', prefix: 'ingestion/' }],
      readTables: ['batch-ledger'],
      writeTables: ['batch-ledger'],
      publishTopics: ['pipeline-failures'],
      putPlatformEvents: true,
    },
    timeoutSeconds: 300,
    memorySize: 1024,
    // The ledger's conditional writes make duplicates harmless; the cap keeps a burst of control files from
    // exhausting the account's concurrency.
    reservedConcurrency: 5,
  },
  'masking-key-service': {
    description: 'Issues and rotates wrapped masking data keys; audited detokenization for SYSTEM callers',
    principalClass: 'system',
    triggers: [{ kind: 'http-api', routes: ['ANY /v1/{proxy+}'] }],
    access: { readTables: ['masking-keys', 'audit-log'], writeTables: ['masking-keys', 'audit-log'], useKeysServiceKey: true },
    // The Glue mask job tokenises through it, signing as the pipeline's SYSTEM role.
    iamFunctionUrl: { systemCallerEnvironmentVariable: 'CUR_KEY_SERVICE_SYSTEM_ROLE_ARNS' },
    timeoutSeconds: 10,
    reservedConcurrency: 10,
  },
  'dq-notifier': {
    description: 'Turns Glue Data Quality results into DQ alerts',
    principalClass: 'service',
    triggers: [{ kind: 'event-rule', bus: 'default', source: 'aws.glue-dataquality', detailType: 'Data Quality Evaluation Results Available' }],
    access: { publishTopics: ['dq-alerts'], readTables: ['dq-alerts'], writeTables: ['dq-alerts'], readBuckets: [{ bucket: 'system', prefix: 'dq/results/' }], readDataQualityResults: true },
    reservedConcurrency: 2,
  },
  'model-history': {
    description: 'Records every SageMaker training job state change in the model history',
    principalClass: 'service',
    triggers: [
      {
        kind: 'event-rule',
        bus: 'default',
        source: 'aws.sagemaker',
        detailType: 'SageMaker Training Job State Change',
        // Only the jobs the stage's training workflow starts: a data scientist's own jobs in the account, or another
        // stage's, are not model versions (the handler ignores them too).
        detail: (stage) => ({ TrainingJobName: [{ prefix: trainingJobNamePrefix(stage) }] }),
      },
    ],
    access: {
      // Versions, their audit trail and Powertools Idempotency's records of each event, all in the model-history table.
      readTables: ['model-history'],
      writeTables: ['model-history'],
      // After a final status the exports are rewritten: each Completed version's histogram is read from the model.json
      // in SageMaker's model.tar.gz (the job's S3 output path), and the two Parquet files are put, nothing else.
      readObjects: [{ bucket: 'system', keyPattern: `${MODEL_ARTEFACT_PREFIX}/*/output/model.tar.gz` }],
      putObjects: [{ bucket: 'system', prefix: `${MODEL_EXPORT_PREFIX}/` }],
    },
    // The exports are written by DuckDB, whose linux-x64 addon ships beside the bundle (the one tested here).
    architecture: 'x86_64',
    // DuckDB's engine (256 MB limit) beside Node's heap and a version's model archive read whole.
    memorySize: 1024,
    reservedConcurrency: 2,
  },
  'retrieval-api': {
    description: 'Low-latency retrieval of customer tags and metrics for applications',
    principalClass: 'service',
    // Routing happens in the handler (method + path); /openapi.json behind the authorizer too until the HTTP API construct can leave one route open.
    triggers: [{ kind: 'http-api', routes: ['ANY /v1/{proxy+}', 'GET /openapi.json'] }],
    access: { readTables: ['serving'] },
    // Tokenizes the customer IDs applications send (and detokenizes for SYSTEM callers) with the caller's own token.
    callsApis: [{ app: 'masking-key-service', environmentVariable: 'CUR_KEY_SERVICE_URL' }],
    timeoutSeconds: 10,
  },
  'oracle-replicator': {
    description: 'Replicates each published consumption and mart date to RDS Oracle through DMS and reconciles it',
    principalClass: 'service',
    triggers: [
      {
        kind: 'event-rule',
        bus: 'platform',
        source: PLATFORM_EVENT_SOURCE,
        detailType: LAYER_PUBLISHED,
        // The pipeline announces each published consumption and mart table; the handler replicates both zones.
        detail: { zone: ['consumption', 'mart'] },
      },
    ],
    access: {
      // The published files, checked against the manifests' hashes, and the manifests themselves.
      readBuckets: [{ bucket: 'consumption' }, { bucket: 'mart' }, { bucket: 'system', prefix: 'manifests/' }],
      // DMS's staging folder (replication/dms-source/) and the run reports (replication/runs/).
      writeBuckets: [{ bucket: 'system', prefix: 'replication/' }],
      // The model history's scoring pointer: model tags of a version no longer promoted are not replicated.
      readTables: ['model-history'],
      publishTopics: ['pipeline-failures'],
    },
    oracleReplica: true,
    timeoutSeconds: 900,
    // One replication at a time keeps Oracle consistent with the order layers were published in.
    reservedConcurrency: 1,
  },
  'pipeline-trigger': {
    description: "Starts the business date's MWAA DAG run once every source batch of the date is accepted",
    principalClass: 'service',
    triggers: [{ kind: 'event-rule', bus: 'platform', source: PLATFORM_EVENT_SOURCE, detailType: BATCH_ACCEPTED }],
    access: {
      // The ledger tells which source batches of the date are accepted; the idempotency records are its own.
      readTables: ['batch-ledger', 'pipeline-triggers'],
      writeTables: ['pipeline-triggers'],
    },
    startsDagRuns: true,
    timeoutSeconds: 30,
    // One event at a time: the date's last batch is then always seen by one delivery (the run id guards the rest).
    reservedConcurrency: 1,
  },
  'lineage-emitter': {
    description: 'Sends the platform lineage to DataHub after each pipeline run; a DataHub failure is logged and counted, never fails the run',
    principalClass: 'service',
    // MWAA sends no DAG-run events; the pipeline's Glue jobs do, on the default bus. The rule cannot tell the stage's
    // jobs by name (their prefix is the stage's), so the handler ignores other jobs, and steps that succeed mid-run.
    triggers: [{ kind: 'event-rule', bus: 'default', source: 'aws.glue', detailType: 'Glue Job State Change', detail: { state: ['SUCCEEDED', 'FAILED', 'TIMEOUT', 'STOPPED'] } }],
    access: {
      // What ran: the published manifests, the DQ gates' evaluations and (locally only) run logs.
      readBuckets: [
        { bucket: 'system', prefix: 'manifests/' },
        { bucket: 'system', prefix: 'dq/results/' },
        { bucket: 'system', prefix: 'runs/' },
      ],
    },
    emitsLineage: true,
    // One emission is a few hundred proposals; a DataHub that stops answering is given up on after a few (the emitter's breaker).
    timeoutSeconds: 300,
    // Emissions one at a time: a later one carries all an earlier one did.
    reservedConcurrency: 1,
  },
  [SERVING_LOAD_APP]: {
    description: "Loads a business date's tags, features and segment metrics into the serving store, switched atomically (the DAG's serving task)",
    principalClass: 'service',
    triggers: [{ kind: 'dag-task', taskId: 'serving' }],
    access: {
      // The published consumption and mart files, checked against the manifests' hashes, and the manifests themselves.
      readBuckets: [{ bucket: 'consumption' }, { bucket: 'mart' }, { bucket: 'system', prefix: 'manifests/' }],
      // The new version's items, the lease, the pointer flip and the pruning of old versions.
      readTables: ['serving'],
      writeTables: ['serving'],
    },
    // The load reads Parquet with DuckDB, whose linux-x64 addon ships beside the bundle (the one tested here).
    architecture: 'x86_64',
    // A day's consumption and mart files are copied to /tmp before DuckDB reads them; DuckDB spills there too.
    ephemeralStorageMb: 4096,
    // Lambda's longest. How many customers a load writes to DynamoDB in 15 minutes is not measured (on paper); one that
    // times out leaves the served version in place and its lease to expire, and the DAG task fails and retries.
    timeoutSeconds: 900,
    // DuckDB gets 60% of it; more memory is also more CPU for the sort and the writes.
    memorySize: 3008,
    // One load at a time (its lease would refuse a second one anyway).
    reservedConcurrency: 1,
  },
};
