import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { PlatformEventType } from '@cur/contracts';
import { PLATFORM_EVENTS, PLATFORM_EVENT_SOURCE } from '@cur/contracts';
import type { EventPublisher } from '@cur/platform';
import { AdapterError, ValidationError } from '@cur/platform';

/** An {@link EventPublisher} on an EventBridge bus. */
export class EventBridgeEventPublisher implements EventPublisher {
  readonly #client: EventBridgeClient;
  readonly #busName: string;

  constructor(client: EventBridgeClient, busName: string) {
    this.#client = client;
    this.#busName = busName;
  }

  async publish(detailType: PlatformEventType, detail: Readonly<Record<string, unknown>>): Promise<void> {
    const parsed = PLATFORM_EVENTS[detailType].safeParse(detail);
    if (!parsed.success) throw new ValidationError(`event '${detailType}' does not match its contract`);
    try {
      const result = await this.#client.send(
        new PutEventsCommand({ Entries: [{ EventBusName: this.#busName, Source: PLATFORM_EVENT_SOURCE, DetailType: detailType, Detail: JSON.stringify(parsed.data) }] }),
      );
      if ((result.FailedEntryCount ?? 0) > 0) throw new Error(result.Entries?.[0]?.ErrorCode ?? 'entry failed');
    } catch (error) {
      throw new AdapterError(`EventBridge refused event '${detailType}' on bus '${this.#busName}'`, { cause: error });
    }
  }
}
