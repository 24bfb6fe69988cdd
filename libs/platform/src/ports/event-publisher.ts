import type { PlatformEventType } from '@cur/contracts';

/**
 * Publishes the platform's own events (`cur.platform` source) for other services: EventBridge in AWS, an outbox
 * file on a laptop. Details are validated against their contract schema before they leave.
 */
export interface EventPublisher {
  publish(detailType: PlatformEventType, detail: Readonly<Record<string, unknown>>): Promise<void>;
}
