import { z } from 'zod';
import { ROTATION_STEPS } from './constants';

/** What Secrets Manager invokes a rotation function with (one step of one rotation). */
export const RotationEventSchema = z.object({
  SecretId: z.string().min(1),
  /** The version id of the secret's new version, the same for all four steps of one rotation. */
  ClientRequestToken: z.string().min(32).max(64),
  Step: z.enum(ROTATION_STEPS),
});

/** One rotation step's event. */
export type RotationEvent = z.infer<typeof RotationEventSchema>;
