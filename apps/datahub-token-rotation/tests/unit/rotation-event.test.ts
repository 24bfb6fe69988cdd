import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RotationEventSchema } from '../../src/rotation-event';

const event = JSON.parse(readFileSync(new URL('../events/rotation-create-secret.json', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('RotationEventSchema', () => {
  it('accepts the event Secrets Manager invokes a rotation function with', () => {
    expect(RotationEventSchema.parse(event)).toEqual({ Step: 'createSecret', SecretId: event['SecretId'], ClientRequestToken: event['ClientRequestToken'] });
  });

  it('refuses a step Secrets Manager does not have', () => {
    expect(RotationEventSchema.safeParse({ ...event, Step: 'deleteSecret' }).success).toBe(false);
  });
});
