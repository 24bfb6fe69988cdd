import { randomUUID } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PlatformEventType } from '@cur/contracts';
import { PLATFORM_EVENTS, PLATFORM_EVENT_SOURCE } from '@cur/contracts';
import type { EventPublisher } from '@cur/platform';
import { ValidationError } from '@cur/platform';
import { PRIVATE_FILE_MODE, makePrivateDir } from './private-files';

/**
 * An {@link EventPublisher} that appends each event, in EventBridge's envelope, as one JSON line to
 * `<dir>/events.jsonl`: the local stand-in for the event bus, and a record of what would have been sent. Owner-only
 * (folder 0700, file 0600).
 */
export class OutboxEventPublisher implements EventPublisher {
  readonly #file: string;
  readonly #dir: string;

  /** @param dir - the outbox folder, e.g. `.cur/outbox` */
  constructor(dir: string) {
    this.#dir = dir;
    this.#file = join(dir, 'events.jsonl');
  }

  async publish(detailType: PlatformEventType, detail: Readonly<Record<string, unknown>>): Promise<void> {
    const parsed = PLATFORM_EVENTS[detailType].safeParse(detail);
    if (!parsed.success) throw new ValidationError(`event '${detailType}' does not match its contract`);
    const envelope = {
      version: '0',
      id: randomUUID(),
      'detail-type': detailType,
      source: PLATFORM_EVENT_SOURCE,
      account: '000000000000',
      time: new Date().toISOString(),
      region: 'local',
      resources: [],
      detail: parsed.data,
    };
    await makePrivateDir(this.#dir);
    await appendFile(this.#file, `${JSON.stringify(envelope)}\n`, { mode: PRIVATE_FILE_MODE });
  }
}
