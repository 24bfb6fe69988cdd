import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** The period every alarm evaluates. */
export const ALARM_PERIOD = Duration.minutes(5);

/** Properties of {@link FunctionAlarms}. */
export interface FunctionAlarmsProps {
  readonly function: lambda.IFunction;
  /** Watched for any visible message when given. */
  readonly deadLetterQueue?: sqs.IQueue;
  /** Where alarms notify: the `pipeline-failures` topic. */
  readonly topicArn: string;
}

/**
 * Alarms on one function: any error, any throttle, and any message in its dead-letter queue within
 * {@link ALARM_PERIOD}; each notifies the given topic when it fires and when it clears.
 */
export class FunctionAlarms extends Construct {
  public readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: FunctionAlarmsProps) {
    super(scope, id);
    const fn = props.function;
    const action = new actions.SnsAction(sns.Topic.fromTopicArn(this, 'Topic', props.topicArn));
    const atLeastOne = (alarmId: string, metric: cloudwatch.IMetric, description: string): cloudwatch.Alarm => {
      const alarm = new cloudwatch.Alarm(this, alarmId, {
        metric,
        alarmDescription: description,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      return alarm;
    };
    const alarms = [
      atLeastOne('Errors', fn.metricErrors({ period: ALARM_PERIOD, statistic: 'Sum' }), `${fn.functionName} failed an invocation`),
      atLeastOne('Throttles', fn.metricThrottles({ period: ALARM_PERIOD, statistic: 'Sum' }), `${fn.functionName} was throttled`),
    ];
    if (props.deadLetterQueue) {
      alarms.push(
        atLeastOne(
          'DeadLetters',
          props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: ALARM_PERIOD, statistic: 'Maximum' }),
          `${fn.functionName} has events in its dead-letter queue`,
        ),
      );
    }
    this.alarms = alarms;
  }
}
