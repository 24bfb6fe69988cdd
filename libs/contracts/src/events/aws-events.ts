import { z } from 'zod';

/**
 * The AWS event shapes our Lambdas receive, as AWS documents them. Locally the CLI builds the same JSON and calls the
 * same handler, so these schemas are the one place an event shape is written down. Unknown fields pass through:
 * AWS adds fields over time and a handler must not break on them.
 */

/** One record of an S3 event notification (`s3:ObjectCreated:*`). */
export const S3EventRecordSchema = z.looseObject({
  eventVersion: z.string(),
  eventSource: z.literal('aws:s3'),
  awsRegion: z.string(),
  eventTime: z.string(),
  eventName: z.string(),
  s3: z.looseObject({
    s3SchemaVersion: z.string(),
    bucket: z.looseObject({ name: z.string().min(1), arn: z.string() }),
    object: z.looseObject({
      key: z.string().min(1),
      size: z.number().int().nonnegative().optional(),
      eTag: z.string().optional(),
      sequencer: z.string().optional(),
    }),
  }),
});

/** An S3 event notification delivered straight to Lambda. */
export const S3EventSchema = z.object({ Records: z.array(S3EventRecordSchema).min(1) });

/** An S3 event notification. */
export type S3Event = z.infer<typeof S3EventSchema>;

/**
 * The EventBridge envelope around a `detail` of a given shape.
 *
 * @param detailType - the exact `detail-type`, or undefined to accept any
 * @param detail - the schema of `detail`
 */
export function eventBridgeEventSchema<D extends z.ZodType>(source: string | undefined, detailType: string | undefined, detail: D) {
  return z.looseObject({
    version: z.string(),
    id: z.string(),
    'detail-type': detailType === undefined ? z.string() : z.literal(detailType),
    source: source === undefined ? z.string() : z.literal(source),
    account: z.string(),
    time: z.string(),
    region: z.string(),
    resources: z.array(z.string()),
    detail,
  });
}

/** The event EventBridge Scheduler / a scheduled rule sends (`detail-type: Scheduled Event`). */
export const ScheduledEventSchema = eventBridgeEventSchema(undefined, 'Scheduled Event', z.looseObject({}));

/** A scheduled event. */
export type ScheduledEvent = z.infer<typeof ScheduledEventSchema>;

/**
 * Glue Data Quality's "evaluation finished" event (source `aws.glue-dataquality`).
 * `context` differs between Data Catalog runs and ETL-job runs, so only its discriminator is required.
 */
export const GlueDataQualityResultEventSchema = eventBridgeEventSchema(
  'aws.glue-dataquality',
  'Data Quality Evaluation Results Available',
  z.looseObject({
    context: z.looseObject({ contextType: z.string() }),
    resultID: z.string(),
    rulesetNames: z.array(z.string()).optional(),
    state: z.string(),
    score: z.number().optional(),
    numRulesSucceeded: z.number().int().optional(),
    numRulesFailed: z.number().int().optional(),
    numRulesSkipped: z.number().int().optional(),
  }),
);

/** A Glue Data Quality result event. */
export type GlueDataQualityResultEvent = z.infer<typeof GlueDataQualityResultEventSchema>;

/** SageMaker's "Training Job State Change" event (source `aws.sagemaker`). */
export const SageMakerTrainingJobStateChangeSchema = eventBridgeEventSchema(
  'aws.sagemaker',
  'SageMaker Training Job State Change',
  z.looseObject({
    TrainingJobName: z.string(),
    TrainingJobArn: z.string(),
    TrainingJobStatus: z.enum(['InProgress', 'Completed', 'Failed', 'Stopping', 'Stopped']),
    HyperParameters: z.record(z.string(), z.string()).optional(),
    FinalMetricDataList: z.array(z.looseObject({ MetricName: z.string(), Value: z.number() })).optional(),
  }),
);

/** A SageMaker training job state change event. */
export type SageMakerTrainingJobStateChange = z.infer<typeof SageMakerTrainingJobStateChangeSchema>;

/** The authorizer context API Gateway (HTTP API, JWT authorizer) puts on a request. */
export const ApiGatewayJwtAuthorizerSchema = z.looseObject({
  jwt: z.looseObject({
    claims: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])),
    scopes: z.array(z.string()).nullable().optional(),
  }),
});

/** An API Gateway HTTP API request, payload format 2.0. */
export const ApiGatewayV2RequestSchema = z.looseObject({
  version: z.literal('2.0'),
  routeKey: z.string(),
  rawPath: z.string(),
  rawQueryString: z.string(),
  cookies: z.array(z.string()).optional(),
  headers: z.record(z.string(), z.string()),
  queryStringParameters: z.record(z.string(), z.string()).optional(),
  pathParameters: z.record(z.string(), z.string()).optional(),
  requestContext: z.looseObject({
    accountId: z.string(),
    apiId: z.string(),
    domainName: z.string().optional(),
    requestId: z.string(),
    routeKey: z.string(),
    stage: z.string(),
    time: z.string().optional(),
    timeEpoch: z.number().optional(),
    http: z.looseObject({
      method: z.string(),
      path: z.string(),
      protocol: z.string().optional(),
      sourceIp: z.string().optional(),
      userAgent: z.string().optional(),
    }),
    authorizer: ApiGatewayJwtAuthorizerSchema.optional(),
  }),
  body: z.string().optional(),
  isBase64Encoded: z.boolean(),
});

/** An API Gateway HTTP API request (payload 2.0). */
export type ApiGatewayV2Request = z.infer<typeof ApiGatewayV2RequestSchema>;

/** The structured response a Lambda behind an HTTP API returns. */
export interface ApiGatewayV2Response {
  readonly statusCode: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
}
