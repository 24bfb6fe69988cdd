import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { handleModelHistory } from '../../src/handler';

const realEvent = (): unknown => JSON.parse(readFileSync(new URL('../events/sagemaker-training-job-state-change.json', import.meta.url), 'utf8'));

describe('handleModelHistory', () => {
  it('accepts the real event and says plainly that the service does not exist yet', async () => {
    await expect(handleModelHistory(realEvent())).rejects.toMatchObject({ code: 'NOT_IMPLEMENTED' });
  });

  it('rejects an event of another shape with a validation error', async () => {
    await expect(handleModelHistory({ hello: 'world' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
