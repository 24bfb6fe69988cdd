import { join } from 'node:path';
import type { EventPublisher, PlatformConfig } from '@cur/platform';
import { makeOwnerOnly } from './local-home';
import { captured, type PortFactoryOptions } from './port-factory-options';

/** A platform event publisher and how to let go of its client. */
export interface EventPublisherPort {
  readonly events: EventPublisher;
  close(): Promise<void>;
}

/**
 * The `EventPublisher` port wired alone (subpath `@cur/runtime/events`): platform events (`cur.platform`) to
 * EventBridge in AWS, to `<home>/outbox/events.jsonl` locally. Only the EventBridge client is loaded.
 */
export async function createEventPublisher(config: PlatformConfig, options: PortFactoryOptions = {}): Promise<EventPublisherPort> {
  if (config.mode === 'local') {
    await makeOwnerOnly(config.home);
    const { OutboxEventPublisher } = await import('@cur/adapters-local/events');
    return { events: new OutboxEventPublisher(join(config.home, 'outbox')), close: () => Promise.resolve() };
  }
  const [{ EventBridgeEventPublisher }, { EventBridgeClient }] = await Promise.all([import('@cur/adapters-aws/events'), import('@aws-sdk/client-eventbridge')]);
  const eventBridge = captured(options, new EventBridgeClient({ region: config.region }));
  return {
    events: new EventBridgeEventPublisher(eventBridge, config.eventBus),
    close: () => {
      eventBridge.destroy();
      return Promise.resolve();
    },
  };
}
