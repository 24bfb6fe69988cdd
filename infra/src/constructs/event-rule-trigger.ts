import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { EventDetailPattern } from '../config/apps';

/** An event that cannot be delivered within this age goes to the dead-letter queue. */
export const RULE_MAX_EVENT_AGE = Duration.hours(2);

/** Delivery attempts of one event. */
export const RULE_RETRY_ATTEMPTS = 4;

/** Properties of {@link EventRuleTrigger}. */
export interface EventRuleTriggerProps {
  readonly ruleName: string;
  /**
   * The bus the rule listens on.
   * @default - the account's default bus, where AWS services send their events
   */
  readonly eventBusName?: string;
  readonly source: string;
  readonly detailType: string;
  /** Extra `detail` matching: values, or `{ prefix }`. @default - any detail */
  readonly detail?: EventDetailPattern;
  readonly function: lambda.IFunction;
  /** Where undeliverable events go. */
  readonly deadLetterQueue: sqs.IQueue;
  /**
   * Deploy the rule disabled: the target is not ready for live events.
   * @default true
   */
  readonly enabled?: boolean;
}

/** An EventBridge rule that sends one source and detail-type (on the default or a named bus) to the function. */
export class EventRuleTrigger extends Construct {
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: EventRuleTriggerProps) {
    super(scope, id);
    const detail = props.detail
      ? Object.fromEntries(Object.entries(props.detail).map(([key, values]) => [key, [...values]]))
      : undefined;
    this.rule = new events.Rule(this, 'Rule', {
      ruleName: props.ruleName,
      ...(props.eventBusName === undefined ? {} : { eventBus: events.EventBus.fromEventBusName(this, 'Bus', props.eventBusName) }),
      description: `${props.source} ${props.detailType}`,
      enabled: props.enabled ?? true,
      eventPattern: { source: [props.source], detailType: [props.detailType], ...(detail ? { detail } : {}) },
      targets: [
        new eventTargets.LambdaFunction(props.function, {
          deadLetterQueue: props.deadLetterQueue,
          retryAttempts: RULE_RETRY_ATTEMPTS,
          maxEventAge: RULE_MAX_EVENT_AGE,
        }),
      ],
    });
  }
}
