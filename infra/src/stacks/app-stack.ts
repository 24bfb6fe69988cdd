import { Duration, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import type { AppName, AppSpec } from '../config/apps';
import { DEFAULT_FUNCTION_MEMORY_MB, DEFAULT_FUNCTION_TIMEOUT_SECONDS } from '../config/apps';
import type { KeyPurpose, PlatformNames } from '../config/platform-names';
import type { StageConfig } from '../config/stage-config';
import { EventRuleTrigger } from '../constructs/event-rule-trigger';
import { FunctionAlarms } from '../constructs/function-alarms';
import { IngestionSchedule } from '../constructs/ingestion-schedule';
import { LandingControlFileTrigger } from '../constructs/landing-control-file-trigger';
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

  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id, { description: `CUR ${props.config.stage}: ${props.app}, ${props.spec.description}`, ...props });
    const { config, names, app, spec } = props;
    const overrides = config.functions[app] ?? {};

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
      environment: {
        // The KMS key vault (libs/adapters-aws) accepts an alias; IAM and the key policy still judge the key's ARN.
        ...(spec.access.useKeysServiceKey ? { CUR_MASKING_KEY_ID: names.keyAlias('keys') } : {}),
        // Resolved when this stack deploys: no CloudFormation reference to the called app's stack.
        ...Object.fromEntries((spec.callsApis ?? []).map((call) => [call.environmentVariable, ssm.StringParameter.valueForStringParameter(this, names.apiUrlParameterName(call.app))])),
      },
      ...(props.bundleDir === undefined ? {} : { bundleDir: props.bundleDir }),
    });
    const fn = this.service.function;

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
            ...(trigger.detail === undefined ? {} : { detail: trigger.detail }),
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
      }
    }
    this.httpApi = httpApi;
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
  }
}

/** A stage override wins over the app's default; an override of `null` leaves the function unreserved. */
function reservedConcurrencyOf(spec: AppSpec, override: number | null | undefined): number | undefined {
  if (override === undefined) return spec.reservedConcurrency;
  return override ?? undefined;
}

function required<T>(value: T | undefined, app: AppName): T {
  if (value === undefined) throw new Error(`${app}: an asynchronous trigger needs the function's dead-letter queue`);
  return value;
}
