import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors/cur-error';

/** Where the platform runs: on a laptop with local adapters, or in AWS. */
export const RUNTIME_MODES = ['local', 'aws'] as const;

/** One runtime mode. */
export type RuntimeMode = (typeof RUNTIME_MODES)[number];

/** The default stage name. */
export const DEFAULT_STAGE = 'dev';

/** The default AWS region (Tokyo, the nearest region with every service the platform uses). */
export const DEFAULT_REGION = 'ap-northeast-1';

/** The default folder for local state, relative to the working directory. */
export const DEFAULT_CUR_HOME = '.cur';

const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT', 'CRITICAL'] as const;

const optionalUrl = z.url({ protocol: /^https?$/ }).optional();

/**
 * The environment variables the platform reads, and only these. Everything that varies between a laptop and AWS is
 * here, read once at start-up.
 */
export const PlatformEnvSchema = z.object({
  CUR_MODE: z.enum(RUNTIME_MODES).default('local'),
  CUR_HOME: z.string().min(1).default(DEFAULT_CUR_HOME),
  CUR_STAGE: z.string().regex(/^[a-z][a-z0-9-]{0,15}$/, 'lower-case letters, digits and dashes, at most 16').default(DEFAULT_STAGE),
  AWS_REGION: z.string().min(1).default(DEFAULT_REGION),
  CUR_DYNAMODB_ENDPOINT: optionalUrl,
  CUR_S3_ENDPOINT: optionalUrl,
  CUR_BUCKET_PREFIX: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,40}$/).optional(),
  CUR_TABLE_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/).optional(),
  CUR_TOPIC_ARN_PREFIX: z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+$/).optional(),
  CUR_MASKING_KEY_ID: z.string().min(1).optional(),
  CUR_EVENT_BUS: z.string().regex(/^[A-Za-z0-9._-]{1,256}$/).optional(),
  POWERTOOLS_LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
});

/** The validated, resolved platform configuration. */
export interface PlatformConfig {
  readonly mode: RuntimeMode;
  /** Absolute path of the local state folder (lake, key file, outbox, dynalite data). */
  readonly home: string;
  readonly stage: string;
  readonly region: string;
  /** DynamoDB endpoint override; locally, unset means "start dynalite in-process". */
  readonly dynamoDbEndpoint: string | undefined;
  /** S3 endpoint override, for S3-compatible servers in tests. */
  readonly s3Endpoint: string | undefined;
  /** Zone bucket names are `<bucketPrefix>-<zone>`. @default `cur-<stage>` */
  readonly bucketPrefix: string;
  /** Physical table names are `<tablePrefix>-<logical name>`. @default `cur-<stage>` */
  readonly tablePrefix: string;
  /** SNS topic ARNs are `<topicArnPrefix>-<logical name>`; required in AWS mode. */
  readonly topicArnPrefix: string | undefined;
  /** The KMS key (id, ARN or alias) that wraps masking data keys; AWS mode only, for services that mask. */
  readonly maskingKeyId: string | undefined;
  /** The EventBridge bus of platform events. @default `cur-<stage>` */
  readonly eventBus: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
}

/**
 * Reads the platform configuration from the environment, once, at start-up.
 *
 * @param env - the environment to read. @default process.env
 * @param cwd - where a relative CUR_HOME is resolved from. @default process.cwd()
 * @throws ConfigError listing every variable at fault and what it must look like
 * @example
 * const config = loadPlatformConfig();
 * console.log(config.mode, config.home);
 */
export function loadPlatformConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): PlatformConfig {
  const parsed = PlatformEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid platform configuration: ${problems.join('; ')}`, {
      details: { variables: parsed.error.issues.map((issue) => issue.path.join('.')).join(',') },
    });
  }
  const vars = parsed.data;
  if (vars.CUR_MODE === 'aws' && vars.CUR_TOPIC_ARN_PREFIX === undefined) {
    throw new ConfigError('invalid platform configuration: CUR_TOPIC_ARN_PREFIX is required when CUR_MODE=aws', {
      details: { variables: 'CUR_TOPIC_ARN_PREFIX' },
    });
  }
  const stagePrefix = `cur-${vars.CUR_STAGE}`;
  return Object.freeze({
    mode: vars.CUR_MODE,
    home: resolve(cwd, vars.CUR_HOME),
    stage: vars.CUR_STAGE,
    region: vars.AWS_REGION,
    dynamoDbEndpoint: vars.CUR_DYNAMODB_ENDPOINT,
    s3Endpoint: vars.CUR_S3_ENDPOINT,
    bucketPrefix: vars.CUR_BUCKET_PREFIX ?? stagePrefix,
    tablePrefix: vars.CUR_TABLE_PREFIX ?? stagePrefix,
    topicArnPrefix: vars.CUR_TOPIC_ARN_PREFIX,
    maskingKeyId: vars.CUR_MASKING_KEY_ID,
    eventBus: vars.CUR_EVENT_BUS ?? stagePrefix,
    logLevel: vars.POWERTOOLS_LOG_LEVEL ?? vars.LOG_LEVEL ?? 'INFO',
  });
}
