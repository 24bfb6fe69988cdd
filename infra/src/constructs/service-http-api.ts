import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * The access log line: request id, caller, route template and outcome. The route key, never the raw path, so a
 * customer token in the path does not reach the logs.
 */
export const ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  integrationLatency: '$context.integrationLatency',
  authorizerError: '$context.authorizer.error',
  subject: '$context.authorizer.claims.sub',
} as const;

/** Properties of {@link ServiceHttpApi}. */
export interface ServiceHttpApiProps {
  readonly apiName: string;
  readonly function: lambda.IFunction;
  /** Route keys such as `GET /v1/customers/{token}/tags` or `ANY /v1/{proxy+}`. */
  readonly routes: readonly string[];
  /** The OIDC issuer whose JWTs are accepted. */
  readonly jwtIssuer: string;
  /** Accepted `aud` values. */
  readonly jwtAudience: readonly string[];
  readonly throttleRateLimit: number;
  readonly throttleBurstLimit: number;
  readonly logRetentionDays: number;
}

/**
 * An HTTP API in front of one function: every route behind a JWT authorizer (issuer and audience from the stage
 * config), one auto-deployed `$default` stage with throttling and JSON access logs. The function receives payload
 * format 2.0, which its handler validates (libs/contracts `ApiGatewayV2RequestSchema`).
 */
export class ServiceHttpApi extends Construct {
  public readonly api: apigwv2.HttpApi;
  public readonly stage: apigwv2.HttpStage;
  public readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ServiceHttpApiProps) {
    super(scope, id);
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const authorizer = new HttpJwtAuthorizer('JwtAuthorizer', props.jwtIssuer, { jwtAudience: [...props.jwtAudience] });
    this.api = new apigwv2.HttpApi(this, 'Api', {
      apiName: props.apiName,
      description: `${props.apiName}: JWT-authorised`,
      createDefaultStage: false,
      defaultAuthorizer: authorizer,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttleRateLimit, burstLimit: props.throttleBurstLimit },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FORMAT)),
      },
    });
    const integration = new HttpLambdaIntegration('Integration', props.function);
    for (const route of props.routes) {
      const [method, path] = parseRoute(route);
      this.api.addRoutes({ path, methods: [method], integration, authorizer });
    }
  }
}

function parseRoute(route: string): [apigwv2.HttpMethod, string] {
  const [method, path, ...rest] = route.split(' ');
  const httpMethod = Object.values(apigwv2.HttpMethod).find((candidate) => candidate === method);
  if (!httpMethod || !path?.startsWith('/') || rest.length > 0) {
    throw new Error(`'${route}' is not a route key such as 'GET /v1/customers/{token}/tags'`);
  }
  return [httpMethod, path];
}
