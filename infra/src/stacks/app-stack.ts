import { Duration, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import type { AppName, AppSpec } from '../config/apps';
import { DEFAULT_FUNCTION_MEMORY_MB, DEFAULT_FUNCTION_TIMEOUT_SECONDS } from '../config/apps';
import type { KeyPurpose, PlatformNames } from '../config/platform-names';
import type { StageConfig } from '../config/stage-config';
import { DataHubNames } from '../config/datahub';
import { DataHubEmitterAccess } from '../constructs/datahub-emitter-access';
import { EventRuleTrigger } from '../constructs/event-rule-trigger';
import { FunctionAlarms } from '../constructs/function-alarms';
import { LineageEmissionAlarm } from '../constructs/lineage-emission-alarm';
import { IngestionSchedule } from '../constructs/ingestion-schedule';
import { OracleReplicaAccess } from '../constructs/oracle-replica-access';
import { LandingControlFileTrigger } from '../constructs/landing-control-file-trigger';
import { MwaaInvokeAccess } from '../constructs/mwaa-invoke-access';
import { OrchestrationNames } from '../config/pipeline-dag';
import { ServiceDataAccess } from '../constructs/service-data-access';
import { ServiceFunction } from '../constructs/service-function';
import { ServiceHttpApi } from '../constructs/service-http-api';

/** Triggers that invoke a function asynchronously (and so need a dead-letter queue). */
const ASYNC_TRIGGERS: ReadonlySet<string> = new Set(['landing-control-file', 'schedule', 'event-rule']);

/** Properties of {@link AppStack}. */
export interface AppStackProps extends StackProps {
  readonly config: StageConfig;
  readonly names: PlatformNames;
  readonly app: AppName;
  readonly spec: AppSpec;
  /**
   * The folder holding the app's `handler.mjs`.
   * @default `dist/apps/<app>`
   */
  readonly bundleDir?: string;
}

/**
 * One app, owned by its team: its Lambda (from the app's esbuild bundle), its execution role and data permissions,
 * its triggers, its dead-letter queue and its alarms. It refers to platform resources by their names and reads the
 * KMS key ARNs from SSM at deploy time, so changing one app deploys only this stack.
 */
export class AppStack extends Stack {
  public readonly service: ServiceFunction;
  public readonly dataAccess: ServiceDataAccess;
  public readonly alarms: FunctionAlarms;
  public readonly httpApi: ServiceHttpApi | undefined;
  /** The IAM-authorised function URL, when the spec asks for one (`iamFunctionUrl`). */
  public readonly functionUrl: lambda.FunctionUrl | undefined;
  /** The app's permission to start DAG runs, when its spec says `startsDagRuns`. */
  public readonly mwaaInvokeAccess: MwaaInvokeAccess | undefined;
  /** The app's permission to read DataHub's endpoint and token, when its spec says `emitsLineage`. */
  public readonly dataHubEmitterAccess: DataHubEmitterAccess | undefined;
  /** The app's permissions on the Oracle replica, when its spec says `oracleReplica`. */
  public readonly oracleReplicaAccess: OracleReplicaAccess | undefined;

  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id, { description: `CUR ${props.config.stage}: ${props.app}, ${props.spec.description}`, ...props });
    const { config, names, app, spec } = props;
    const overrides = config.functions[app] ?? {};
    const replica = spec.oracleReplica === true ? this.#oracleReplicaWiring(config, names) : undefined;
    const orchestration = spec.startsDagRuns === true ? new OrchestrationNames(names) : undefined;
    const dataHub = spec.emitsLineage === true ? new DataHubNames(names) : undefined;

    this.service = new ServiceFunction(this, 'Service', {
      names,
      app,
      description: spec.description,
      principalClass: spec.principalClass,
      timeout: Duration.seconds(spec.timeoutSeconds ?? DEFAULT_FUNCTION_TIMEOUT_SECONDS),
      memorySize: overrides.memorySize ?? spec.memorySize ?? DEFAULT_FUNCTION_MEMORY_MB,
      reservedConcurrency: reservedConcurrencyOf(spec, overrides.reservedConcurrency),
      logLevel: config.logLevel,
      logRetentionDays: config.retention.logRetentionDays,
      asyncInvocation: spec.triggers.some((trigger) => ASYNC_TRIGGERS.has(trigger.kind)),
      ...(spec.architecture === 'x86_64' ? { architecture: lambda.Architecture.X86_64 } : {}),
      ...(spec.ephemeralStorageMb === undefined ? {} : { ephemeralStorageMb: spec.ephemeralStorageMb }),
      environment: {
        // The KMS key vault (libs/adapters-aws) accepts an alias; IAM and the key policy still judge the key's ARN.
        ...(spec.access.useKeysServiceKey ? { CUR_MASKING_KEY_ID: names.keyAlias('keys') } : {}),
        // Resolved when this stack deploys: no CloudFormation reference to the called app's stack.
        ...Object.fromEntries((spec.callsApis ?? []).map((call) => [call.environmentVariable, ssm.StringParameter.valueForStringParameter(this, names.apiUrlParameterName(call.app))])),
        ...replica?.environment,
        ...(orchestration === undefined ? {} : { CUR_MWAA_ENVIRONMENT: orchestration.environmentName }),
        ...(dataHub === undefined ? {} : { CUR_DATAHUB_ENDPOINT_PARAMETER: dataHub.endpointParameterName, CUR_DATAHUB_CONNECTION_SECRET_ID: dataHub.connectionSecretName }),
        ...(spec.iamFunctionUrl === undefined ? {} : { [spec.iamFunctionUrl.systemCallerEnvironmentVariable]: names.roleArn(names.systemRoleName) }),
      },
      ...(props.bundleDir === undefined ? {} : { bundleDir: props.bundleDir }),
      ...(replica === undefined ? {} : { network: replica.network, paramsAndSecrets: replica.paramsAndSecrets }),
      ...(dataHub === undefined ? {} : { network: this.#dataHubNetwork(config, dataHub), paramsAndSecrets: parametersAndSecretsExtension() }),
    });
    const fn = this.service.function;
    this.oracleReplicaAccess =
      replica === undefined
        ? undefined
        : new OracleReplicaAccess(this, 'OracleReplicaAccess', {
            role: this.service.role,
            dmsTaskArn: names.dmsTaskArn,
            secretArnPattern: names.secretArnPattern(names.oracleReplicaOwnerSecretName),
          });

    this.dataHubEmitterAccess =
      dataHub === undefined
        ? undefined
        : new DataHubEmitterAccess(this, 'DataHubEmitterAccess', { role: this.service.role, endpointParameterArn: dataHub.endpointParameterArn, connectionSecretArn: dataHub.connectionSecretArnPattern });

    this.mwaaInvokeAccess =
      orchestration === undefined ? undefined : new MwaaInvokeAccess(this, 'MwaaInvokeAccess', { role: this.service.role, airflowRoleArn: orchestration.airflowRoleArn('User') });

    const keyArns = new Map<KeyPurpose, string>();
    this.dataAccess = new ServiceDataAccess(this, 'DataAccess', {
      names,
      role: this.service.role,
      principalClass: spec.principalClass,
      access: spec.access,
      keyArn: (purpose) => {
        const known = keyArns.get(purpose);
        if (known !== undefined) return known;
        const arn = ssm.StringParameter.valueForStringParameter(this, names.keyArnParameterName(purpose));
        keyArns.set(purpose, arn);
        return arn;
      },
    });

    let httpApi: ServiceHttpApi | undefined;
    for (const trigger of spec.triggers) {
      const deadLetterQueue = this.service.deadLetterQueue;
      switch (trigger.kind) {
        case 'landing-control-file':
          new LandingControlFileTrigger(this, 'ControlFileTrigger', { bucketName: names.bucketName('landing'), function: fn });
          break;
        case 'schedule':
          new IngestionSchedule(this, 'Schedule', {
            scheduleName: `${names.functionName(app)}-sweep`,
            expression: config.ingestion.schedule,
            timeZone: config.ingestion.timeZone,
            function: fn,
            deadLetterQueue: required(deadLetterQueue, app),
          });
          break;
        case 'event-rule':
          new EventRuleTrigger(this, 'EventRule', {
            ruleName: names.functionName(app),
            ...(trigger.bus === 'platform' ? { eventBusName: names.eventBusName } : {}),
            source: trigger.source,
            detailType: trigger.detailType,
            ...(trigger.detail === undefined ? {} : { detail: typeof trigger.detail === 'function' ? trigger.detail(config.stage) : trigger.detail }),
            enabled: trigger.disabledBecause === undefined,
            function: fn,
            deadLetterQueue: required(deadLetterQueue, app),
          });
          break;
        case 'http-api':
          httpApi = new ServiceHttpApi(this, 'HttpApi', {
            apiName: names.functionName(app),
            function: fn,
            routes: trigger.routes,
            jwtIssuer: config.api.jwtIssuer,
            jwtAudience: config.api.jwtAudience,
            throttleRateLimit: config.api.throttleRateLimit,
            throttleBurstLimit: config.api.throttleBurstLimit,
            logRetentionDays: config.retention.logRetentionDays,
          });
          break;
        case 'dag-task':
          // Invoked by the DAG's task through the MWAA execution role's identity policy (the orchestration stack's).
          break;
      }
    }
    this.httpApi = httpApi;
    this.functionUrl = spec.iamFunctionUrl === undefined ? undefined : fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
    if (this.functionUrl !== undefined) {
      // For the Glue mask job's default arguments (the pipeline stack reads it at deploy time).
      new ssm.StringParameter(this, 'FunctionUrlParameter', {
        parameterName: names.functionUrlParameterName(app),
        description: `IAM-authorised function URL of ${app}`,
        stringValue: this.functionUrl.url,
      });
    }
    if (httpApi) {
      // For the apps that call this one (their stacks read it at deploy time).
      new ssm.StringParameter(this, 'ApiUrl', {
        parameterName: names.apiUrlParameterName(app),
        description: `Base URL of the ${app} HTTP API`,
        stringValue: httpApi.stage.url,
      });
    }

    this.alarms = new FunctionAlarms(this, 'Alarms', {
      function: fn,
      ...(this.service.deadLetterQueue === undefined ? {} : { deadLetterQueue: this.service.deadLetterQueue }),
      topicArn: names.topicArn('pipeline-failures'),
    });
    if (dataHub !== undefined) {
      // Lineage that did not reach DataHub never fails the function, so its error alarm cannot see it.
      new LineageEmissionAlarm(this, 'LineageAlarm', { serviceName: app, namespace: 'CUR', topicArn: names.topicArn('pipeline-failures') });
    }
  }

  /**
   * The orchestration VPC, where DataHub is reachable: its id, its private subnets and the emitter's security group
   * (HTTPS to the VPC's endpoints and S3, DataHub's port to DataHub), all from the orchestration stack's SSM parameters.
   */
  #dataHubNetwork(config: StageConfig, dataHub: DataHubNames): { readonly vpc: ec2.IVpc; readonly subnets: ec2.SubnetSelection; readonly securityGroups: readonly ec2.ISecurityGroup[] } {
    const placement = dataHub.emitterNetworkParameterNames;
    const read = (name: string): string => ssm.StringParameter.valueForStringParameter(this, name);
    const zones = config.network.availabilityZones.slice(0, 2);
    const vpc = ec2.Vpc.fromVpcAttributes(this, 'OrchestrationVpc', {
      vpcId: read(placement.vpcId),
      availabilityZones: zones,
      privateSubnetIds: zones.map((zone) => read(placement.subnetId(zone))),
    });
    const securityGroup = ec2.SecurityGroup.fromSecurityGroupId(this, 'LineageEmitterSecurityGroup', read(placement.securityGroupId), { mutable: false });
    return { vpc, subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }, securityGroups: [securityGroup] };
  }

  /**
   * The replica VPC (its id, one isolated subnet per configured zone and the replicator's security group, all from
   * the oracle stack's SSM parameters), the replicator's settings, and the secrets extension.
   */
  #oracleReplicaWiring(config: StageConfig, names: PlatformNames): OracleReplicaWiring {
    const parameters = names.oracleParameterNames;
    const read = (name: string): string => ssm.StringParameter.valueForStringParameter(this, name);
    const zones = config.network.availabilityZones;
    const vpc = ec2.Vpc.fromVpcAttributes(this, 'ReplicaVpc', {
      vpcId: read(parameters.vpcId),
      availabilityZones: [...zones],
      isolatedSubnetIds: zones.map((zone) => read(parameters.subnetId(zone))),
    });
    const securityGroup = ec2.SecurityGroup.fromSecurityGroupId(this, 'ReplicatorSecurityGroup', read(parameters.replicatorSecurityGroupId), { mutable: false });
    return {
      environment: {
        CUR_DMS_TASK_ARN: names.dmsTaskArn,
        // tcps://host:2484/service: the replicator reaches the replica over TLS only.
        CUR_ORACLE_CONNECT_STRING: read(parameters.connectString),
        // Node 20+ Lambda runtimes ship RDS's CA bundle here but do not trust it by default; node-oracledb's TLS
        // checks the instance's certificate against Node's trusted CAs.
        NODE_EXTRA_CA_CERTS: ORACLE_TRUSTED_CA_FILE,
        // A name, not an ARN: the extension and Secrets Manager resolve it, and it is known before deployment.
        CUR_ORACLE_SECRET_ID: names.oracleReplicaOwnerSecretName,
      },
      network: { vpc, subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, securityGroups: [securityGroup] },
      paramsAndSecrets: lambda.ParamsAndSecretsLayerVersion.fromVersion(SECRETS_EXTENSION_VERSION, {
        cacheEnabled: true,
        secretsManagerTtl: Duration.seconds(SECRETS_EXTENSION_TTL_SECONDS),
        logLevel: lambda.ParamsAndSecretsLogLevel.WARN,
      }),
    };
  }
}

/** What an app that replicates to Oracle gets from the oracle stack (read from SSM at deploy time). */
interface OracleReplicaWiring {
  readonly environment: Readonly<Record<string, string>>;
  readonly network: { readonly vpc: ec2.IVpc; readonly subnets: ec2.SubnetSelection; readonly securityGroups: readonly ec2.ISecurityGroup[] };
  readonly paramsAndSecrets: lambda.ParamsAndSecretsLayerVersion;
}

/** The Parameters and Secrets extension of an app that reads DataHub's endpoint (SSM) and token (Secrets Manager). */
function parametersAndSecretsExtension(): lambda.ParamsAndSecretsLayerVersion {
  return lambda.ParamsAndSecretsLayerVersion.fromVersion(SECRETS_EXTENSION_VERSION, {
    cacheEnabled: true,
    parameterStoreTtl: Duration.seconds(SECRETS_EXTENSION_TTL_SECONDS),
    secretsManagerTtl: Duration.seconds(SECRETS_EXTENSION_TTL_SECONDS),
    logLevel: lambda.ParamsAndSecretsLogLevel.WARN,
  });
}

/** RDS's CA certificates as the Lambda runtime ships them (`/var/runtime/ca-cert.pem`). */
export const ORACLE_TRUSTED_CA_FILE = '/var/runtime/ca-cert.pem';

/** The Parameters and Secrets extension's release; it caches a secret for {@link SECRETS_EXTENSION_TTL_SECONDS}. */
export const SECRETS_EXTENSION_VERSION = lambda.ParamsAndSecretsVersions.V1_0_103;

/** How long the extension caches the Oracle secret: a rotation is seen within this time. @default */
export const SECRETS_EXTENSION_TTL_SECONDS = 300;

/** A stage override wins over the app's default; an override of `null` leaves the function unreserved. */
function reservedConcurrencyOf(spec: AppSpec, override: number | null | undefined): number | undefined {
  if (override === undefined) return spec.reservedConcurrency;
  return override ?? undefined;
}

function required<T>(value: T | undefined, app: AppName): T {
  if (value === undefined) throw new Error(`${app}: an asynchronous trigger needs the function's dead-letter queue`);
  return value;
}
