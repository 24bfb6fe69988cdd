import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ALARM_PERIOD } from './function-alarms';

/**
 * The lineage-emitter's metrics that say lineage did not reach DataHub (apps/lineage-emitter `LINEAGE_EMITTER_METRICS`;
 * an infra test holds the two lists equal). The function never fails on them, so its error alarm never sees them.
 */
export const LINEAGE_NOT_DELIVERED_METRICS = ['LineageProposalsFailed', 'LineageEmissionsNotSent'] as const;

/** Properties of {@link LineageEmissionAlarm}. */
export interface LineageEmissionAlarmProps {
  /** The function's `service` dimension (`lineage-emitter`). */
  readonly serviceName: string;
  /** The platform's metrics namespace (`CUR`). */
  readonly namespace: string;
  /** Where it notifies: the `pipeline-failures` topic, which operators watch. */
  readonly topicArn: string;
}

/**
 * One alarm when lineage did not reach DataHub within {@link ALARM_PERIOD}: any proposal refused or unsent, or an
 * emission that sent nothing. The pipeline run is not affected; the alarm says DataHub is behind.
 */
export class LineageEmissionAlarm extends Construct {
  public readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: LineageEmissionAlarmProps) {
    super(scope, id);
    const metrics = Object.fromEntries(
      LINEAGE_NOT_DELIVERED_METRICS.map((name, index) => [`m${index}`, new cloudwatch.Metric({ namespace: props.namespace, metricName: name, dimensionsMap: { service: props.serviceName }, statistic: 'Sum', period: ALARM_PERIOD })]),
    );
    this.alarm = new cloudwatch.Alarm(this, 'NotDelivered', {
      metric: new cloudwatch.MathExpression({ expression: Object.keys(metrics).map((key) => `FILL(${key}, 0)`).join(' + '), usingMetrics: metrics, period: ALARM_PERIOD, label: 'lineage not delivered' }),
      alarmDescription: `${props.serviceName}: lineage did not reach DataHub (the pipeline run is not affected)`,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const action = new actions.SnsAction(sns.Topic.fromTopicArn(this, 'Topic', props.topicArn));
    this.alarm.addAlarmAction(action);
    this.alarm.addOkAction(action);
  }
}
