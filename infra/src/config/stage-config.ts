import { readFileSync } from 'node:fs';
import { HUMAN_ROLES } from '@cur/contracts';
import type { HumanRole } from '@cur/contracts';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';
import { APP_NAMES } from './apps';
import { CONFIG_DIR } from './paths';

/** The stage the CDK app synthesizes when no `-c stage=<name>` is given. */
export const DEFAULT_STAGE_NAME = 'dev';

/** Landing objects are deleted after this many days (issue 7 §2); masking normally removes them sooner. */
export const DEFAULT_LANDING_EXPIRY_DAYS = 7;

/** Raw objects are locked in governance mode for this many days after they are written. */
export const DEFAULT_RAW_OBJECT_LOCK_DAYS = 30;

/** Old versions in versioned zones are kept this long before they expire. */
export const DEFAULT_NONCURRENT_VERSION_DAYS = 90;

/** Server access logs are kept this long. */
export const DEFAULT_ACCESS_LOG_DAYS = 365;

/** CloudWatch log retention for every Lambda and the HTTP API access logs. */
export const DEFAULT_LOG_RETENTION_DAYS = 90;

/** The bootstrap qualifier `cdk bootstrap` uses unless told otherwise. */
export const DEFAULT_CDK_QUALIFIER = 'hnb659fds';

/** RDS for Oracle's instance type unless the stage says otherwise (`db.` is added). */
export const DEFAULT_ORACLE_INSTANCE_TYPE = 'm5.large';

/** RDS for Oracle's storage unless the stage says otherwise. */
export const DEFAULT_ORACLE_STORAGE_GIB = 100;

/** Days of RDS automated backups unless the stage says otherwise. */
export const DEFAULT_ORACLE_BACKUP_RETENTION_DAYS = 14;

/** Days between rotations of the Oracle secrets unless the stage says otherwise. */
export const DEFAULT_SECRET_ROTATION_DAYS = 30;

/** The DMS replication instance class unless the stage says otherwise. */
export const DEFAULT_DMS_INSTANCE_CLASS = 'dms.t3.medium';

/** The replica VPC's address range unless the stage says otherwise. */
export const DEFAULT_VPC_CIDR = '10.60.0.0/22';

/** The Glue worker type of the pipeline's jobs unless the stage says otherwise (4 vCPU, 16 GB). */
export const DEFAULT_GLUE_WORKER_TYPE = 'G.1X';

/** How many workers each pipeline Glue job gets unless the stage says otherwise (Glue's minimum is 2). */
export const DEFAULT_GLUE_WORKERS = 2;

/** A pipeline Glue job run is stopped after this many minutes unless the stage says otherwise. */
export const DEFAULT_GLUE_TIMEOUT_MINUTES = 60;

/** The pipeline steps that run as Glue jobs `cur-<stage>-<step>`. */
export const GLUE_JOB_STEPS = ['mask', 'transform', 'consumption', 'mart'] as const;

/** Days between two rotations of the DataHub token unless the stage says otherwise (each token lives three months). */
export const DEFAULT_DATAHUB_TOKEN_ROTATION_DAYS = 30;

/** Powertools log level of every Lambda. */
export const DEFAULT_LOG_LEVEL = 'INFO';

/** The same rule the platform applies to `CUR_STAGE` (libs/platform `PlatformEnvSchema`). */
const stageName = z.string().regex(/^[a-z][a-z0-9-]{0,15}$/, 'lower-case letters, digits and dashes, at most 16');
/** The same rule the platform applies to `CUR_BUCKET_PREFIX`. */
const bucketPrefix = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,40}$/, 'a valid S3 bucket name prefix of at most 41 characters');
/** `CUR_TABLE_PREFIX`, and a topic name prefix (the part of `CUR_TOPIC_ARN_PREFIX` after the account). */
const namePrefix = z.string().regex(/^[A-Za-z0-9_-]{1,60}$/, 'letters, digits, dashes and underscores, at most 60');
const accountId = z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id');
const principalArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:iam::\d{12}:(root|role\/[\w+=,.@/-]+)$/, 'an IAM role ARN or an account root ARN');
/** An IAM role ARN only: a key policy principal that must be one identity, never a whole account. */
const roleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'an IAM role ARN (not an account root)');
const httpsUrl = z.url({ protocol: /^https$/ });
/** CloudWatch Logs accepts only these retention periods. */
const LOG_RETENTION_DAYS = Object.values(RetentionDays).filter((value): value is number => typeof value === 'number');
const logRetentionDays = z
  .number()
  .int()
  .refine((value) => LOG_RETENTION_DAYS.includes(value), `one of ${LOG_RETENTION_DAYS.join(', ')}`);

const FunctionOverridesSchema = z
  .object({
    /** `null` leaves the function unreserved (accounts with a low concurrency quota need this). */
    reservedConcurrency: z.number().int().min(1).max(1000).nullable().optional(),
    memorySize: z.number().int().min(128).max(10240).optional(),
  })
  .strict();

/**
 * One stage's deployment settings: `infra/config/<stage>.json`, validated here and nowhere else. Stacks and constructs
 * receive the parsed value; no account, region, ARN or endpoint is written in a stack.
 */
export const StageConfigSchema = z
  .object({
    stage: stageName,
    account: accountId,
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as ap-northeast-1'),
    naming: z
      .object({
        /** Buckets are `<bucketPrefix>-<zone>`. Bucket names are global: add the account id if `cur-<stage>` is taken. */
        bucketPrefix: bucketPrefix.optional(),
        tablePrefix: namePrefix.optional(),
        topicPrefix: namePrefix.optional(),
      })
      .strict()
      .default({}),
    cdkQualifier: z.string().regex(/^[a-z0-9]{1,10}$/).default(DEFAULT_CDK_QUALIFIER),
    dataHub: z
      .object({
        /** DataHub's GMS endpoint; its port (443 unless the URL names one) is the only port opened towards DataHub. */
        endpoint: httpsUrl,
        /**
         * How the orchestration VPC reaches DataHub, named explicitly: DataHub's security group (a peered VPC of the
         * same region, or the same VPC), its address range (a route through a transit gateway or VPN), or its
         * PrivateLink endpoint service, for which the orchestration stack creates an interface endpoint (the
         * endpoint's host must then resolve to it: private DNS of the service, or a private hosted zone).
         */
        network: z.union([
          z.object({ securityGroupId: z.string().regex(/^sg-[0-9a-f]{8,17}$/, 'a security group id such as sg-0123456789abcdef0') }).strict(),
          z.object({ cidr: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/([0-9]|[12]\d|3[0-2])$/, 'an IPv4 CIDR') }).strict(),
          z.object({ endpointServiceName: z.string().regex(/^com\.amazonaws\.vpce\.[a-z0-9-]+\.vpce-svc-[0-9a-f]{8,17}$/, 'a PrivateLink endpoint service name such as com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0') }).strict(),
        ]),
        /** Days between two rotations of the token. @default DEFAULT_DATAHUB_TOKEN_ROTATION_DAYS */
        tokenRotationDays: z.number().int().min(1).max(80).default(DEFAULT_DATAHUB_TOKEN_ROTATION_DAYS),
      })
      .strict(),
    /**
     * The RDS for Oracle replica (issue 16) the oracle stack creates: license-included Standard Edition 2, AL32UTF8,
     * encrypted with the lake key, in the stage's isolated subnets. Endpoint and credentials come from the stack
     * (SSM `/cur-<stage>/oracle/connection`, Secrets Manager), never from this file.
     */
    oracle: z
      .object({
        /** The database name (Oracle SID and service name): a letter, then letters or digits, at most 8. */
        databaseName: z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,7}$/, 'a letter, then letters or digits, at most 8'),
        /** Multi-AZ for the database and the DMS replication instance: `true` for uat and prod. */
        multiAz: z.boolean(),
        /** @default DEFAULT_ORACLE_INSTANCE_TYPE */
        instanceType: z.string().regex(/^[a-z0-9]+\.[a-z0-9]+$/, 'an instance type without `db.`, e.g. m5.large').default(DEFAULT_ORACLE_INSTANCE_TYPE),
        /** @default DEFAULT_ORACLE_STORAGE_GIB */
        allocatedStorageGiB: z.number().int().min(20).max(65536).default(DEFAULT_ORACLE_STORAGE_GIB),
        /** @default DEFAULT_ORACLE_BACKUP_RETENTION_DAYS */
        backupRetentionDays: z.number().int().min(1).max(35).default(DEFAULT_ORACLE_BACKUP_RETENTION_DAYS),
        /** Days between two rotations of each Oracle secret. @default DEFAULT_SECRET_ROTATION_DAYS */
        secretRotationDays: z.number().int().min(1).max(365).default(DEFAULT_SECRET_ROTATION_DAYS),
        /** @default DEFAULT_DMS_INSTANCE_CLASS */
        dmsInstanceClass: z.string().regex(/^dms\.[a-z0-9]+\.[a-z0-9]+$/, 'a DMS class such as dms.t3.medium').default(DEFAULT_DMS_INSTANCE_CLASS),
      })
      .strict(),
    /** The VPC of the Oracle replica, DMS and the oracle-replicator: isolated subnets only, AWS APIs through endpoints. */
    network: z
      .object({
        /** @default DEFAULT_VPC_CIDR */
        cidr: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/(1[6-9]|2[0-4])$/, 'an IPv4 CIDR from /16 to /24').default(DEFAULT_VPC_CIDR),
        /** Named explicitly so synthesis needs no lookup; RDS and DMS subnet groups need two or more. */
        availabilityZones: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, 'an availability zone such as ap-northeast-1a')).min(2).max(3),
        /**
         * The region's S3 prefix list (`aws ec2 describe-managed-prefix-lists --filters Name=prefix-list-name,Values=com.amazonaws.<region>.s3`):
         * the lineage-emitter in the orchestration VPC reaches S3 through the gateway endpoint, and its security
         * group lets HTTPS out to these addresses only. Named here so synthesis needs no lookup.
         */
        s3PrefixListId: z.string().regex(/^pl-[0-9a-f]{8,17}$/, 'a prefix list id such as pl-61a54008'),
      })
      .strict(),
    humanRolePrincipals: z.object(
      Object.fromEntries(HUMAN_ROLES.map((role) => [role, z.array(principalArn).nonempty()])) as Record<
        HumanRole,
        z.ZodArray<typeof principalArn>
      >,
    ).strict(),
    lakeFormation: z
      .object({
        /** Data lake administrators besides the CloudFormation execution role (which must be one to create LF resources). */
        adminArns: z.array(principalArn).default([]),
        /** `APPEND` keeps admins and settings someone else put in the account; `REPLACE` owns them. */
        settingsMutation: z.enum(['APPEND', 'REPLACE']).default('APPEND'),
      })
      .strict()
      .default({ adminArns: [], settingsMutation: 'APPEND' }),
    keyAdministration: z
      .object({
        /**
         * Break-glass roles that may change the SYSTEM-only keys' policies, aliases and grants besides the
         * CloudFormation execution role (the deploy path). Each must be assumable only through a two-person procedure.
         */
        breakGlassRoleArns: z.array(roleArn).default([]),
      })
      .strict()
      .default({ breakGlassRoleArns: [] }),
    api: z
      .object({
        jwtIssuer: httpsUrl,
        jwtAudience: z.array(z.string().min(1)).nonempty(),
        throttleRateLimit: z.number().int().positive().default(50),
        throttleBurstLimit: z.number().int().positive().default(100),
      })
      .strict(),
    ingestion: z
      .object({
        /** An EventBridge Scheduler expression, e.g. `cron(15 * * * ? *)` or `rate(1 hour)`. */
        schedule: z.string().regex(/^(cron|rate)\(.+\)$/, 'cron(...) or rate(...)'),
        timeZone: z.string().min(1).default('Asia/Taipei'),
      })
      .strict(),
    retention: z
      .object({
        landingExpiryDays: z.number().int().min(1).default(DEFAULT_LANDING_EXPIRY_DAYS),
        rawObjectLockDays: z.number().int().min(1).default(DEFAULT_RAW_OBJECT_LOCK_DAYS),
        noncurrentVersionDays: z.number().int().min(1).default(DEFAULT_NONCURRENT_VERSION_DAYS),
        accessLogDays: z.number().int().min(1).default(DEFAULT_ACCESS_LOG_DAYS),
        logRetentionDays: logRetentionDays.default(DEFAULT_LOG_RETENTION_DAYS),
      })
      .strict()
      .default({
        landingExpiryDays: DEFAULT_LANDING_EXPIRY_DAYS,
        rawObjectLockDays: DEFAULT_RAW_OBJECT_LOCK_DAYS,
        noncurrentVersionDays: DEFAULT_NONCURRENT_VERSION_DAYS,
        accessLogDays: DEFAULT_ACCESS_LOG_DAYS,
        logRetentionDays: DEFAULT_LOG_RETENTION_DAYS,
      }),
    /** The pipeline's Glue 5.1 jobs (`cur-<stage>-<step>`): worker type, workers per step, timeout. */
    glue: z
      .object({
        /** @default DEFAULT_GLUE_WORKER_TYPE */
        workerType: z.enum(['G.1X', 'G.2X', 'G.4X', 'G.8X']).default(DEFAULT_GLUE_WORKER_TYPE),
        /** Workers per step; a step not named gets {@link DEFAULT_GLUE_WORKERS}. */
        workers: z.partialRecord(z.enum(GLUE_JOB_STEPS), z.number().int().min(2).max(299)).default({}),
        /** @default DEFAULT_GLUE_TIMEOUT_MINUTES */
        timeoutMinutes: z.number().int().min(1).max(2880).default(DEFAULT_GLUE_TIMEOUT_MINUTES),
      })
      .strict()
      .default({ workerType: DEFAULT_GLUE_WORKER_TYPE, workers: {}, timeoutMinutes: DEFAULT_GLUE_TIMEOUT_MINUTES }),
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default(DEFAULT_LOG_LEVEL),
    functions: z.partialRecord(z.enum(APP_NAMES), FunctionOverridesSchema).default({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    const bucketPrefixValue = config.naming.bucketPrefix ?? `cur-${config.stage}`;
    // A bucket name is at most 63 characters: the prefix plus the longest suffix must fit.
    if (`${bucketPrefixValue}-access-logs`.length > 63) {
      ctx.addIssue({ code: 'custom', message: 'bucketPrefix is too long for `<prefix>-access-logs`', path: ['naming', 'bucketPrefix'] });
    }
  });

/** A stage's validated deployment settings. */
export type StageConfig = z.infer<typeof StageConfigSchema>;

/** A stage's settings as written in the JSON file (before defaults). */
export type StageConfigInput = z.input<typeof StageConfigSchema>;

/** Thrown when a stage config file is missing or does not validate; the message names every field at fault. */
export class StageConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StageConfigError';
  }
}

/**
 * Validates a stage config object.
 *
 * @param input - the parsed JSON
 * @param source - where it came from, for the error message
 * @throws StageConfigError listing every field at fault
 */
export function parseStageConfig(input: unknown, source = 'stage config'): StageConfig {
  const parsed = StageConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new StageConfigError(`${source} is invalid:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/**
 * Reads and validates `infra/config/<stage>.json`. The file's `stage` must equal its name, so a copied file cannot
 * deploy one stage under another's names.
 *
 * @param stage - the stage name. @default DEFAULT_STAGE_NAME
 * @param configDir - the folder of the config files. @default infra/config
 * @throws StageConfigError when the file is missing, is not JSON, does not validate or names another stage
 * @example
 * const config = loadStageConfig('dev');
 * new CurStage(app, config.stage, { config });
 */
export function loadStageConfig(stage: string = DEFAULT_STAGE_NAME, configDir: string = CONFIG_DIR): StageConfig {
  if (!stageName.safeParse(stage).success) throw new StageConfigError(`'${stage}' is not a valid stage name`);
  const file = `${configDir}/${stage}.json`;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new StageConfigError(`cannot read the config of stage '${stage}' from ${file}`, { cause: error });
  }
  const config = parseStageConfig(raw, file);
  if (config.stage !== stage) {
    throw new StageConfigError(`${file} declares stage '${config.stage}'; the file of stage '${stage}' must declare '${stage}'`);
  }
  return config;
}
