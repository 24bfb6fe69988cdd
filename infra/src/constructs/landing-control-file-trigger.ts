import { Stack } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import { Construct } from 'constructs';
import { acknowledgeNagFinding } from '../core/nag-acknowledgement';

/** Control files end with this suffix (PRODUCT.md §5: `<dataset>_<YYYYMMDD>.ctl`). */
export const CONTROL_FILE_SUFFIX = '.ctl';

/** Properties of {@link LandingControlFileTrigger}. */
export interface LandingControlFileTriggerProps {
  /** The landing bucket's name (owned by the platform stack). */
  readonly bucketName: string;
  readonly function: lambda.IFunction;
}

/**
 * Invokes the function for every control file created in the landing bucket. The data file is dropped first and the
 * control file last, so one notification per batch arrives once the batch is complete. The bucket belongs to the
 * platform stack; CDK manages this one notification through its bucket-notifications custom resource, leaving any
 * other notification on the bucket in place.
 */
export class LandingControlFileTrigger extends Construct {
  constructor(scope: Construct, id: string, props: LandingControlFileTriggerProps) {
    super(scope, id);
    const bucket = s3.Bucket.fromBucketName(this, 'LandingBucket', props.bucketName);
    bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(props.function), {
      suffix: CONTROL_FILE_SUFFIX,
    });
    acknowledgeNotificationsHandler(Stack.of(this));
  }
}

/** The construct id CDK gives its bucket-notifications singleton (aws-s3 `NotificationsResourceHandler`). */
const NOTIFICATIONS_HANDLER_ID = 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834';

/** CDK's singleton that applies bucket notifications; its findings are CDK's, not ours, and are acknowledged once. */
function acknowledgeNotificationsHandler(stack: Stack): void {
  const handler = stack.node.tryFindChild(NOTIFICATIONS_HANDLER_ID);
  if (!handler) throw new Error(`${stack.node.path}: CDK's bucket-notifications handler ${NOTIFICATIONS_HANDLER_ID} was not created`);
  acknowledgeNagFinding(
    handler,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    'CDK-provided bucket-notifications handler; it only writes its own CloudWatch logs with this managed policy.',
  );
}
