import { z } from 'zod';
import { eventBridgeEventSchema } from '@cur/contracts';
import { TERMINAL_JOB_STATES } from './constants';

/**
 * The `Glue Job State Change` event AWS Glue sends to the default bus after a job run ends. Only the job's name and
 * state are read: `message` may carry the job's error text, which is never logged nor sent.
 */
export const GlueJobStateChangeSchema = eventBridgeEventSchema(
  'aws.glue',
  'Glue Job State Change',
  z.looseObject({ jobName: z.string().min(1).max(255), state: z.enum(TERMINAL_JOB_STATES), jobRunId: z.string().min(1).max(255) }),
);

/** A validated Glue job state change. */
export type GlueJobStateChange = z.infer<typeof GlueJobStateChangeSchema>;
