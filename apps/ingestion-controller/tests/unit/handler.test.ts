import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { handleIngestionController } from '../../src/handler';

const realEvent = (): unknown => JSON.parse(readFileSync(new URL('../events/s3-object-created.json', import.meta.url), 'utf8'));

describe('handleIngestionController', () => {
  it('accepts the real event and says plainly that the service does not exist yet', async () => {
    await expect(handleIngestionController(realEvent())).rejects.toMatchObject({ code: 'NOT_IMPLEMENTED' });
  });

  it('rejects an event of another shape with a validation error', async () => {
    await expect(handleIngestionController({ hello: 'world' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('handleIngestionController on a schedule', () => {
  it('accepts the real EventBridge Scheduler event too', async () => {
    const scheduled = JSON.parse(readFileSync(new URL('../events/scheduled-event.json', import.meta.url), 'utf8')) as unknown;
    await expect(handleIngestionController(scheduled)).rejects.toMatchObject({ code: 'NOT_IMPLEMENTED' });
  });
});
