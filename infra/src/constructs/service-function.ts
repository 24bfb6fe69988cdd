import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AppName, PrincipalClass } from '../config/apps';
import { APP_DIST_DIR } from '../config/paths';
import type { PlatformNames } from '../config/platform-names';
import { acknowledgeNagFinding } from '../core/nag-acknowledgement';

/**
 * The Lambda runtime of every app; the app builds target `node22` (apps/<name>/project.json). Node 20 is past
 * Lambda's deprecation, and the AWS SDK releases after January 2027 require Node 22.
 */
export const SERVICE_RUNTIME = lambda.Runtime.NODEJS_22_X;

/** The file and export Lambda calls: `dist/apps/<name>/handler.mjs`, export `handler`. */
export const SERVICE_HANDLER = 'handler.handler';

/** The bundle file an app build writes. */
export const BUNDLE_FILE = 'handler.mjs';

/** Asynchronous invocations are retried this often before the event goes to the dead-letter queue. */
export const DEFAULT_ASYNC_RETRY_ATTEMPTS = 2;

/** An asynchronous event older than this goes to the dead-letter queue unprocessed. */
export const DEFAULT_MAX_EVENT_AGE = Duration.hours(6);

/** How long a dead-lettered event is kept for replay: the SQS maximum. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

/**
 * The folder an app's build writes its bundle to.
 *
 * @param app - the app
 * @param distDir - the folder of all app bundles. @default APP_DIST_DIR (`dist/apps`)
 */
export function appBundleDir(app: AppName, distDir: string = APP_DIST_DIR): string {
  return join(distDir, app);
}

/** Properties of {@link ServiceFunction}. */
export interface ServiceFunctionProps {
  readonly names: PlatformNames;
  readonly app: AppName;
  readonly description: string;
  /** `system` roles are named `cur-<stage>-system-<app>`, whose exact ARNs the SYSTEM-only key policies list. */
  readonly principalClass: PrincipalClass;
  readonly timeout: Duration;
  readonly memorySize: number;
  /** Reserved concurrency; undefined leaves the function unreserved. */
  readonly reservedConcurrency: number | undefined;
  /** Powertools log level. */
  readonly logLevel: string;
  readonly logRetentionDays: number;
  /** Whether something invokes the function asynchronously; only then does it get a dead-letter queue. */
  readonly asyncInvocation: boolean;
  /**
   * The folder holding the app's `handler.mjs`.
   * @default appBundleDir(app): `dist/apps/<app>`, written by `nx build <app>`
   */
  readonly bundleDir?: string;
  /**
   * Variables beside the platform and Powertools ones.
   * @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Run the function in a VPC (the Oracle replica's): its subnets and security groups.
   * @default - no VPC
   */
  readonly network?: { readonly vpc: ec2.IVpc; readonly subnets: ec2.SubnetSelection; readonly securityGroups: readonly ec2.ISecurityGroup[] };
  /**
   * The AWS Parameters and Secrets Lambda Extension layer, which serves secrets on loopback inside the function.
   * @default - none
   */
  readonly paramsAndSecrets?: lambda.ParamsAndSecretsLayerVersion;
  /**
   * The instruction set: an app with a native addon beside its bundle runs on the addon's.
   * @default lambda.Architecture.ARM_64
   */
  readonly architecture?: lambda.Architecture;
  /**
   * Lambda's `/tmp`, in MB.
   * @default - Lambda's 512 MB
   */
  readonly ephemeralStorageMb?: number;
}

/**
 * One app's Lambda function with everything it owns: an execution role named for its principal class, a log group
 * with retention, X-Ray active tracing, the Powertools and platform environment, and for asynchronously invoked
 * functions an SSE-encrypted dead-letter queue. The code is the app's esbuild bundle from `dist/apps/<app>`, never
 * its source; synthesis fails with the build command if the bundle is missing.
 */
export class ServiceFunction extends Construct {
  public readonly function: lambda.Function;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;
  /** Where failed asynchronous invocations go; undefined for synchronously invoked functions. */
  public readonly deadLetterQueue: sqs.Queue | undefined;
  /** The bundle folder the code was taken from. */
  public readonly bundleDir: string;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const { names, app } = props;
    const functionName = names.functionName(app);
    this.bundleDir = props.bundleDir ?? appBundleDir(app);
    if (!existsSync(join(this.bundleDir, BUNDLE_FILE))) {
      throw new Error(
        `the bundle of ${app} is missing (${join(this.bundleDir, BUNDLE_FILE)}); build it first: npx nx run ${app}:build`,
      );
    }

    this.role = new iam.Role(this, 'Role', {
      roleName: names.appRoleName(app, props.principalClass),
      description: `CUR ${names.stage} ${app} Lambda execution role (${props.principalClass})`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // An explicit role gets no AWSLambdaBasicExecutionRole: the function writes to its own log group only.
    this.logGroup.grantWrite(this.role);

    this.deadLetterQueue = props.asyncInvocation
      ? new sqs.Queue(this, 'DeadLetterQueue', {
          queueName: `${functionName}-dlq`,
          encryption: sqs.QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          retentionPeriod: DEAD_LETTER_RETENTION,
        })
      : undefined;

    this.function = new lambda.Function(this, 'Function', {
      functionName,
      description: props.description,
      runtime: SERVICE_RUNTIME,
      architecture: props.architecture ?? lambda.Architecture.ARM_64,
      ...(props.ephemeralStorageMb === undefined ? {} : { ephemeralStorageSize: Size.mebibytes(props.ephemeralStorageMb) }),
      handler: SERVICE_HANDLER,
      code: lambda.Code.fromAsset(this.bundleDir),
      role: this.role,
      timeout: props.timeout,
      memorySize: props.memorySize,
      ...(props.reservedConcurrency === undefined ? {} : { reservedConcurrentExecutions: props.reservedConcurrency }),
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      environment: {
        ...names.platformEnvironment(),
        POWERTOOLS_SERVICE_NAME: app,
        POWERTOOLS_LOG_LEVEL: props.logLevel,
        POWERTOOLS_METRICS_NAMESPACE: 'CUR',
        // Responses and events may carry customer tokens; never copy them into traces or logs.
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
        POWERTOOLS_LOGGER_LOG_EVENT: 'false',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      ...(props.network === undefined
        ? {}
        : { vpc: props.network.vpc, vpcSubnets: props.network.subnets, securityGroups: [...props.network.securityGroups] }),
      ...(props.paramsAndSecrets === undefined ? {} : { paramsAndSecrets: props.paramsAndSecrets }),
      ...(this.deadLetterQueue
        ? { deadLetterQueue: this.deadLetterQueue, retryAttempts: DEFAULT_ASYNC_RETRY_ATTEMPTS, maxEventAge: DEFAULT_MAX_EVENT_AGE }
        : {}),
    });

    acknowledgeNagFinding(
      this.function,
      'AwsSolutions-L1',
      'Every app bundle is built for Node.js 22 (esbuild target node22), the LTS the AWS SDK and Powertools support; moving all apps to a newer runtime is one change to SERVICE_RUNTIME and the app build targets.',
    );
    acknowledgeNagFinding(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments and PutTelemetryRecords have no resource-level permissions; nothing else in this role uses *.',
    );
    if (props.network !== undefined) {
      // A role given to a function is not extended by it: the network interfaces in the VPC need this policy.
      this.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole'));
      acknowledgeNagFinding(
        this.role,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
        'Lambda attaches this AWS policy to a function in a VPC: creating and deleting its network interfaces has no resource-level scoping.',
      );
    }
  }
}
