import { z } from 'zod';

/**
 * The payload the MWAA DAG's `serving` task sends (`LambdaInvokeFunctionOperator`, libs/pipeline-dag
 * `dags/cur_pipeline.py`): the step and the run's business date, nothing else.
 *
 * @example
 * ServingLoadRequestSchema.parse({ step: 'serving', businessDate: '2026-11-25' });
 */
export const ServingLoadRequestSchema = z
  .object({
    step: z.literal('serving'),
    businessDate: z.iso.date(),
  })
  .strict();

/** One validated request. */
export type ServingLoadRequest = z.infer<typeof ServingLoadRequestSchema>;
