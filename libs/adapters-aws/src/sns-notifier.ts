import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { TopicName } from '@cur/contracts';
import type { Notification, Notifier, PublishResult } from '@cur/platform';
import { AdapterError } from '@cur/platform';

/** A {@link Notifier} on SNS: topic `<topicArnPrefix>-<logical name>`. */
export class SnsNotifier implements Notifier {
  readonly #client: SNSClient;
  readonly #topicArnPrefix: string;

  /** @param topicArnPrefix - e.g. `arn:aws:sns:ap-northeast-1:123456789012:cur-dev` */
  constructor(client: SNSClient, topicArnPrefix: string) {
    this.#client = client;
    this.#topicArnPrefix = topicArnPrefix;
  }

  /** The ARN a logical topic publishes to. */
  topicArn(topic: TopicName): string {
    return `${this.#topicArnPrefix}-${topic}`;
  }

  async publish(topic: TopicName, notification: Notification): Promise<PublishResult> {
    try {
      const result = await this.#client.send(
        new PublishCommand({
          TopicArn: this.topicArn(topic),
          Subject: notification.subject,
          Message: notification.body,
          MessageAttributes: Object.fromEntries(
            Object.entries(notification.attributes ?? {}).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
          ),
        }),
      );
      return { messageId: result.MessageId ?? '' };
    } catch (error) {
      const name = error instanceof Error ? error.name : 'unknown error';
      throw new AdapterError(`SNS publish to topic '${topic}' failed (${name})`, { cause: error, details: { topic } });
    }
  }
}
