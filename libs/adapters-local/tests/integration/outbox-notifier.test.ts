import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutboxNotifier } from '../../src/index';

describe('OutboxNotifier', () => {
  it('appends one JSON line per notification to the topic file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cur-outbox-'));
    const notifier = new OutboxNotifier(dir);
    const first = await notifier.publish('dq-alerts', { subject: 'DQ FAIL customer_profile', body: '1 rule failed', attributes: { severity: 'blocking' } });
    await notifier.publish('dq-alerts', { subject: 'DQ WARN card_transaction', body: '2 rules warned' });
    const lines = (await readFile(join(dir, 'dq-alerts.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(2);
    const entries = await notifier.read('dq-alerts');
    expect(entries[0]).toMatchObject({ messageId: first.messageId, topic: 'dq-alerts', subject: 'DQ FAIL customer_profile', attributes: { severity: 'blocking' } });
    expect(await notifier.read('pipeline-failures')).toEqual([]);
  });

  it('holds subjects to the SNS limits so what works here works in AWS', async () => {
    const notifier = new OutboxNotifier(await mkdtemp(join(tmpdir(), 'cur-outbox-')));
    await expect(notifier.publish('dq-alerts', { subject: 'x'.repeat(101), body: '' })).rejects.toThrow(/1-100 characters/);
    await expect(notifier.publish('dq-alerts', { subject: 'two\nlines', body: '' })).rejects.toThrow(/one line/);
  });

  it('keeps every line whole when many publishes race', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cur-outbox-'));
    const notifier = new OutboxNotifier(dir);
    await Promise.all(Array.from({ length: 200 }, (_, i) => notifier.publish('pipeline-failures', { subject: `step ${i} failed`, body: 'x'.repeat(5000) })));
    expect(await notifier.read('pipeline-failures')).toHaveLength(200);
  });
});
