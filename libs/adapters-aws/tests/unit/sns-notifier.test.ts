import type { PublishCommand} from '@aws-sdk/client-sns';
import { type SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { SnsNotifier } from '../../src/index';

/**
 * SNS has no local server we can run here, so this one test stands a recording client in for the SNS service and
 * checks the request the adapter builds. Everything else about notifications is tested on the outbox adapter.
 */
function recordingClient(): { client: SNSClient; sent: PublishCommand[] } {
  const sent: PublishCommand[] = [];
  const client = {
    send: async (command: PublishCommand) => {
      sent.push(command);
      return { MessageId: 'm-1' };
    },
  } as unknown as SNSClient;
  return { client, sent };
}

describe('SnsNotifier', () => {
  it('publishes to <prefix>-<topic> with string message attributes', async () => {
    const { client, sent } = recordingClient();
    const notifier = new SnsNotifier(client, 'arn:aws:sns:ap-northeast-1:123456789012:cur-dev');
    const result = await notifier.publish('dq-alerts', { subject: 'DQ FAIL', body: 'details', attributes: { severity: 'blocking' } });
    expect(result).toEqual({ messageId: 'm-1' });
    expect(sent[0]?.input).toEqual({
      TopicArn: 'arn:aws:sns:ap-northeast-1:123456789012:cur-dev-dq-alerts',
      Subject: 'DQ FAIL',
      Message: 'details',
      MessageAttributes: { severity: { DataType: 'String', StringValue: 'blocking' } },
    });
  });

  it('wraps a service failure in an adapter error naming the topic', async () => {
    const client = { send: async () => Promise.reject(Object.assign(new Error('denied'), { name: 'AuthorizationErrorException' })) } as unknown as SNSClient;
    await expect(new SnsNotifier(client, 'arn:aws:sns:ap-northeast-1:123456789012:cur-dev').publish('dq-alerts', { subject: 's', body: 'b' })).rejects.toThrow(
      /SNS publish to topic 'dq-alerts' failed \(AuthorizationErrorException\)/,
    );
  });
});
