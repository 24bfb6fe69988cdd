import { APIGatewayProxyEventV2Schema, APIGatewayRequestContextV2Schema, EventBridgeSchema, S3Schema } from '@aws-lambda-powertools/parser/schemas';
import { z } from 'zod';

/**
 * The AWS event shapes our Lambdas receive. S3 notifications, the EventBridge envelope and API Gateway v2 requests are Powertools Parser's
 * schemas (`@aws-lambda-powertools/parser/schemas`, maintained against what AWS sends); this file adds only what is
 * ours: the `source`, `detail-type` and `detail` each Lambda accepts. Locally the CLI builds the same JSON and calls
 * the same handler, so a local event must pass the same schema as a real one.
 */

/** One record of an S3 event notification (`s3:ObjectCreated:*`): a record of Powertools Parser's `S3Schema`. */
export const S3EventRecordSchema = S3Schema.shape.Records.element;

/** An S3 event notification delivered straight to Lambda: Powertools Parser's `S3Schema`. */
export const S3EventSchema = S3Schema;

/** An S3 event notification. */
export type S3Event = z.infer<typeof S3EventSchema>;

/**
 * Powertools Parser's `EventBridgeSchema` with a given `source`, `detail-type` and `detail` shape.
 *
 * @param source - the exact `source`, or undefined to accept any
 * @param detailType - the exact `detail-type`, or undefined to accept any
 * @param detail - the schema of `detail`
 */
export function eventBridgeEventSchema<D extends z.ZodType>(source: string | undefined, detailType: string | undefined, detail: D) {
  return EventBridgeSchema.extend({
    'detail-type': detailType === undefined ? z.string() : z.literal(detailType),
    source: source === undefined ? z.string() : z.literal(source),
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

/** A SageMaker timestamp in an event: epoch milliseconds (what EventBridge carries) or ISO 8601. */
const SageMakerTimeSchema = z.union([z.number().nonnegative(), z.iso.datetime({ offset: true })]);

/**
 * SageMaker's "Training Job State Change" event (source `aws.sagemaker`): the detail is the job as
 * DescribeTrainingJob returns it (times in epoch milliseconds), with its tags as a map.
 */
export const SageMakerTrainingJobStateChangeSchema = eventBridgeEventSchema(
  'aws.sagemaker',
  'SageMaker Training Job State Change',
  z.looseObject({
    TrainingJobName: z.string().regex(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/),
    TrainingJobArn: z.string(),
    TrainingJobStatus: z.enum(['InProgress', 'Completed', 'Failed', 'Stopping', 'Stopped']),
    SecondaryStatus: z.string().optional(),
    FailureReason: z.string().optional(),
    HyperParameters: z.record(z.string(), z.string()).optional(),
    FinalMetricDataList: z.array(z.looseObject({ MetricName: z.string(), Value: z.number(), Timestamp: SageMakerTimeSchema.optional() })).optional(),
    AlgorithmSpecification: z.looseObject({ TrainingImage: z.string().optional(), TrainingInputMode: z.string().optional() }).optional(),
    ModelArtifacts: z.looseObject({ S3ModelArtifacts: z.string() }).optional(),
    RoleArn: z.string().optional(),
    CreationTime: SageMakerTimeSchema.optional(),
    TrainingStartTime: SageMakerTimeSchema.optional(),
    TrainingEndTime: SageMakerTimeSchema.optional(),
    LastModifiedTime: SageMakerTimeSchema.optional(),
    SecondaryStatusTransitions: z
      .array(z.looseObject({ Status: z.string(), StartTime: SageMakerTimeSchema, EndTime: SageMakerTimeSchema.optional(), StatusMessage: z.string().optional() }))
      .optional(),
    Tags: z.record(z.string(), z.string()).optional(),
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

/**
 * An API Gateway HTTP API request, payload format 2.0: Powertools Parser's `APIGatewayProxyEventV2Schema`, with the
 * version pinned to 2.0 and the JWT authorizer's claims typed as the platform reads them.
 */
export const ApiGatewayV2RequestSchema = APIGatewayProxyEventV2Schema.extend({
  version: z.literal('2.0'),
  requestContext: APIGatewayRequestContextV2Schema.extend({ authorizer: ApiGatewayJwtAuthorizerSchema.optional() }),
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
