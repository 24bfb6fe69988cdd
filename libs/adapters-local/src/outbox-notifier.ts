import { randomUUID } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TopicName } from '@cur/contracts';
import type { Notification, Notifier, PublishResult } from '@cur/platform';
import { ValidationError } from '@cur/platform';
import { PRIVATE_FILE_MODE, makePrivateDir } from './private-files';

/** One line of an outbox file. */
export interface OutboxEntry extends Notification {
  readonly messageId: string;
  readonly topic: TopicName;
  readonly publishedAt: string;
}

/** The SNS subject limit, enforced locally too so a message that works here works in AWS. */
const MAX_SUBJECT_LENGTH = 100;

/**
 * A {@link Notifier} that appends each notification as one JSON line to `<dir>/<topic>.jsonl`, the local stand-in
 * for an SNS topic. `cur` shows these files; tests read them. The folder is owner-only (0700), each file 0600.
 */
export class OutboxNotifier implements Notifier {
  readonly #dir: string;

  /** @param dir - the outbox folder, e.g. `.cur/outbox` */
  constructor(dir: string) {
    this.#dir = dir;
  }

  async publish(topic: TopicName, notification: Notification): Promise<PublishResult> {
    if (notification.subject.length === 0 || notification.subject.length > MAX_SUBJECT_LENGTH || /[\r\n]/.test(notification.subject)) {
      throw new ValidationError(`notification subject for topic '${topic}' must be one line of 1-${MAX_SUBJECT_LENGTH} characters`, {
        details: { topic },
      });
    }
    const entry: OutboxEntry = { messageId: randomUUID(), topic, publishedAt: new Date().toISOString(), ...notification };
    await makePrivateDir(this.#dir);
    // One appendFile call per line: O_APPEND keeps concurrent writers' lines whole.
    await appendFile(this.outboxFile(topic), `${JSON.stringify(entry)}\n`, { mode: PRIVATE_FILE_MODE });
    return { messageId: entry.messageId };
  }

  /** The file a topic's notifications go to. */
  outboxFile(topic: TopicName): string {
    return join(this.#dir, `${topic}.jsonl`);
  }

  /** Everything published to a topic so far, oldest first. */
  async read(topic: TopicName): Promise<OutboxEntry[]> {
    try {
      const text = await readFile(this.outboxFile(topic), 'utf8');
      return text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as OutboxEntry);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }
}
