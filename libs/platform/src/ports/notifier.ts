import type { TopicName } from '@cur/contracts';

/** One notification. It carries names, counts and metrics; never a row value, masked or not. */
export interface Notification {
  /** One line, at most 100 characters (the SNS e-mail subject limit). */
  readonly subject: string;
  readonly body: string;
  /** Message attributes for subscription filters, e.g. `{ dataset: 'customer_profile', severity: 'blocking' }`. */
  readonly attributes?: Readonly<Record<string, string>>;
}

/** The receipt of a published notification. */
export interface PublishResult {
  readonly messageId: string;
}

/** Publishes notifications to a topic: SNS in AWS, an outbox file on a laptop. */
export interface Notifier {
  publish(topic: TopicName, notification: Notification): Promise<PublishResult>;
}
