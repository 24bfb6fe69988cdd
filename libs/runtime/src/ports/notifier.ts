import { join } from 'node:path';
import { ConfigError } from '@cur/platform';
import type { Notifier, PlatformConfig } from '@cur/platform';
import { makeOwnerOnly } from './local-home';
import { captured, type PortFactoryOptions } from './port-factory-options';

/** A notifier and how to let go of its client. */
export interface NotifierPort {
  readonly notifier: Notifier;
  close(): Promise<void>;
}

/**
 * The `Notifier` port wired alone (subpath `@cur/runtime/notifier`): SNS in AWS (topic ARNs `<topicArnPrefix>-<topic>`),
 * `<home>/outbox/<topic>.jsonl` locally. Only the SNS client is loaded.
 *
 * @throws ConfigError when CUR_TOPIC_ARN_PREFIX is missing in AWS mode
 */
export async function createNotifier(config: PlatformConfig, options: PortFactoryOptions = {}): Promise<NotifierPort> {
  if (config.mode === 'local') {
    await makeOwnerOnly(config.home);
    const { OutboxNotifier } = await import('@cur/adapters-local/notifier');
    return { notifier: new OutboxNotifier(join(config.home, 'outbox')), close: () => Promise.resolve() };
  }
  const topicArnPrefix = config.topicArnPrefix;
  if (topicArnPrefix === undefined) throw new ConfigError('CUR_TOPIC_ARN_PREFIX is required when CUR_MODE=aws');
  const [{ SnsNotifier }, { SNSClient }] = await Promise.all([import('@cur/adapters-aws/notifier'), import('@aws-sdk/client-sns')]);
  const sns = captured(options, new SNSClient({ region: config.region }));
  return {
    notifier: new SnsNotifier(sns, topicArnPrefix),
    close: () => {
      sns.destroy();
      return Promise.resolve();
    },
  };
}
