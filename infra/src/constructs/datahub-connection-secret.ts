import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { CONSTRUCT_FUNCTION_APPS } from '../config/apps';
import { APP_DIST_DIR } from '../config/paths';
import { acknowledgeNagFinding } from '../core/nag-acknowledgement';
import { BUNDLE_FILE, SERVICE_HANDLER, SERVICE_RUNTIME } from './service-function';

/** The connection type of DataHub's REST hook (`DatahubRestHook.conn_type`). */
export const DATAHUB_CONNECTION_TYPE = 'datahub-rest';

/** The app whose bundle rotates the token. */
export const TOKEN_ROTATION_APP: (typeof CONSTRUCT_FUNCTION_APPS)[number] = 'datahub-token-rotation';

/** One rotation step calls DataHub at most four times, 10 s each at worst. @default */
export const TOKEN_ROTATION_TIMEOUT = Duration.seconds(60);

/** Properties of {@link DataHubConnectionSecret}. */
export interface DataHubConnectionSecretProps {
  /** `cur-<stage>/airflow/connections/datahub_rest_default`. */
  readonly secretName: string;
  /** `cur-<stage>-datahub-token-rotation`. */
  readonly functionName: string;
  readonly stage: string;
  /** DataHub's GMS endpoint (resolved from SSM at deploy time): the connection's host. */
  readonly endpoint: string;
  readonly rotationDays: number;
  /** The rotation function's network: the orchestration VPC's private subnets and its own group. */
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly logLevel: string;
  readonly logRetentionDays: number;
  /**
   * The folder holding the rotation's `handler.mjs`.
   * @default `dist/apps/datahub-token-rotation`, written by `nx build datahub-token-rotation`
   */
  readonly bundleDir?: string;
}

/**
 * The one DataHub secret and its rotation. The secret is the Airflow connection `datahub_rest_default` as JSON
 * (`conn_type`, `host`, and once seeded `password`, DataHub's personal access token), which MWAA's secrets backend
 * serves to DataHub's Airflow plugin and the lineage-emitter reads. The CDK creates it with the host and a generated
 * placeholder instead of a token; a person puts a token of DataHub's service user in it once, and from then on the
 * rotation function (apps/datahub-token-rotation, in the orchestration VPC) mints each next token with the current
 * one through DataHub's GraphQL API and revokes the old one, every {@link DataHubConnectionSecretProps.rotationDays}.
 * Changing the endpoint regenerates the secret's value (CloudFormation's generated string), so the token must be
 * seeded again.
 */
export class DataHubConnectionSecret extends Construct {
  public readonly secret: secretsmanager.Secret;
  public readonly rotationFunction: lambda.Function;
  public readonly rotationRole: iam.Role;

  constructor(scope: Construct, id: string, props: DataHubConnectionSecretProps) {
    super(scope, id);
    const bundleDir = props.bundleDir ?? join(APP_DIST_DIR, TOKEN_ROTATION_APP);
    if (!existsSync(join(bundleDir, BUNDLE_FILE))) {
      throw new Error(`the bundle of ${TOKEN_ROTATION_APP} is missing (${join(bundleDir, BUNDLE_FILE)}); build it first: npx nx run ${TOKEN_ROTATION_APP}:build`);
    }

    this.secret = new secretsmanager.Secret(this, 'Secret', {
      secretName: props.secretName,
      description: "Airflow connection datahub_rest_default (DataHub's GMS and its access token): DataHub's Airflow plugin and the lineage-emitter read it; rotated by its function",
      generateSecretString: {
        secretStringTemplate: Stack.of(this).toJsonString({ conn_type: DATAHUB_CONNECTION_TYPE, host: props.endpoint }),
        // Not a token: a generated description (a field Airflow's connection has and DataHub's hook ignores) stands
        // where CloudFormation must generate something; the password is absent until a person seeds the token.
        generateStringKey: 'description',
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.rotationRole = new iam.Role(this, 'RotationRole', {
      roleName: `${props.functionName}`,
      description: `Rotates ${props.secretName}: reads and writes that secret's versions only`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    this.rotationRole.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole'));
    acknowledgeNagFinding(
      this.rotationRole,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
      'Lambda attaches this AWS policy to a function in a VPC: creating and deleting its network interfaces has no resource-level scoping.',
    );
    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    logGroup.grantWrite(this.rotationRole);

    this.rotationFunction = new lambda.Function(this, 'Function', {
      functionName: props.functionName,
      description: 'Rotates the DataHub connection: mints the next DataHub access token with the current one, then revokes the old one',
      runtime: SERVICE_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      handler: SERVICE_HANDLER,
      code: lambda.Code.fromAsset(bundleDir),
      role: this.rotationRole,
      timeout: TOKEN_ROTATION_TIMEOUT,
      memorySize: 256,
      logGroup,
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroups: [props.securityGroup],
      environment: {
        CUR_DATAHUB_ENDPOINT: props.endpoint,
        CUR_STAGE: props.stage,
        POWERTOOLS_SERVICE_NAME: TOKEN_ROTATION_APP,
        POWERTOOLS_LOG_LEVEL: props.logLevel,
        POWERTOOLS_LOGGER_LOG_EVENT: 'false',
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
    acknowledgeNagFinding(
      this.rotationFunction,
      'AwsSolutions-L1',
      'Built for Node.js 22 (esbuild target node22) like every app bundle; SERVICE_RUNTIME moves all of them at once.',
    );

    // Grants the function exactly the four rotation calls on this secret, and Secrets Manager the invoke.
    this.secret.addRotationSchedule('Rotation', {
      rotationLambda: this.rotationFunction,
      automaticallyAfter: Duration.days(props.rotationDays),
      // Not on creation: the secret holds no token until a person seeds it.
      rotateImmediatelyOnUpdate: false,
    });
    acknowledgeNagFinding(
      this.rotationRole,
      'AwsSolutions-IAM5[Resource::*]',
      "secretsmanager:GetRandomPassword, which CDK's RotationSchedule grants every rotation function, has no resource; this function never calls it (DataHub mints the token)",
    );
  }
}
