import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import type { CfnElement } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeNagFinding } from '../core/nag-acknowledgement';

/** A scheduled sweep that cannot be delivered within this age is dead-lettered; the next sweep covers it. */
export const SCHEDULE_MAX_EVENT_AGE = Duration.hours(1);

/** Delivery attempts of one scheduled sweep. */
export const SCHEDULE_RETRY_ATTEMPTS = 2;

/** Properties of {@link IngestionSchedule}. */
export interface IngestionScheduleProps {
  readonly scheduleName: string;
  /** An EventBridge Scheduler expression: `cron(...)` or `rate(...)`. */
  readonly expression: string;
  /** IANA time zone the expression is read in, e.g. `Asia/Taipei`. */
  readonly timeZone: string;
  readonly function: lambda.IFunction;
  /** Where undeliverable sweeps go. */
  readonly deadLetterQueue: sqs.IQueue;
}

/**
 * An EventBridge Scheduler schedule that invokes the function periodically to sweep the landing zone (batches whose
 * notification was lost, stale incomplete batches). Scheduler does not wrap its payload, so the input is the
 * `Scheduled Event` envelope the handler validates (libs/contracts `ScheduledEventSchema`), filled from the
 * scheduler's context attributes.
 */
export class IngestionSchedule extends Construct {
  public readonly schedule: scheduler.Schedule;
  /** The role the scheduler invokes the function with. */
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: IngestionScheduleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = new iam.Role(this, 'Role', {
      description: `EventBridge Scheduler invokes ${props.scheduleName} with this role`,
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    });
    const target = new targets.LambdaInvoke(props.function, {
      input: scheduler.ScheduleTargetInput.fromObject({
        version: '0',
        id: scheduler.ContextAttribute.executionId,
        'detail-type': 'Scheduled Event',
        source: 'aws.scheduler',
        account: stack.account,
        time: scheduler.ContextAttribute.scheduledTime,
        region: stack.region,
        resources: [scheduler.ContextAttribute.scheduleArn],
        detail: {},
      }),
      role: this.role,
      deadLetterQueue: props.deadLetterQueue,
      retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
      maxEventAge: SCHEDULE_MAX_EVENT_AGE,
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      scheduleName: props.scheduleName,
      description: 'Periodic sweep of the landing zone',
      schedule: scheduler.ScheduleExpression.expression(props.expression, TimeZone.of(props.timeZone)),
      target,
    });
    const functionResource = props.function.node.defaultChild as CfnElement;
    acknowledgeNagFinding(
      this.role,
      `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(functionResource)}.Arn>:*]`,
      'The scheduler role may invoke every version and alias of this one function, as the CDK target grants; nothing else.',
    );
  }
}
