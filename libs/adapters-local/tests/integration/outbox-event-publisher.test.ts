import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventBridgeEventSchema } from '../helpers/eventbridge-envelope';
import { OutboxEventPublisher } from '../../src/index';

describe('OutboxEventPublisher', () => {
  it('writes each event in the EventBridge envelope to events.jsonl, checked against its contract', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cur-events-'));
    const publisher = new OutboxEventPublisher(dir);
    const detail = { step: 'consumption', zone: 'consumption', datasets: ['customer_features'], businessDate: '2026-11-25', manifestKey: 'm.json', rowCount: 10 };
    await publisher.publish('Layer Published', detail);
    await expect(publisher.publish('Layer Published', { ...detail, zone: 'attic' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const lines = (await readFile(join(dir, 'events.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1);
    const event = EventBridgeEventSchema.parse(JSON.parse(lines[0] ?? '{}'));
    expect(event).toMatchObject({ source: 'cur.platform', 'detail-type': 'Layer Published', detail });
  });
});
