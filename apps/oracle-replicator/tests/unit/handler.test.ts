import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { handleOracleReplicator } from '../../src/handler';

const realEvent = (): unknown => JSON.parse(readFileSync(new URL('../events/eventbridge-event.json', import.meta.url), 'utf8'));

describe('handleOracleReplicator', () => {
  it('accepts the real event and says plainly that the service does not exist yet', async () => {
    await expect(handleOracleReplicator(realEvent())).rejects.toMatchObject({ code: 'NOT_IMPLEMENTED' });
  });

  it('rejects an event of another shape with a validation error', async () => {
    await expect(handleOracleReplicator({ hello: 'world' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
