import { MaskResultSchema, type MaskRequest, type MaskResult } from '../plan/mask-request';
import type { SparkJobPort } from '../plan/plan-executor';
import type { SparkMaskJobRunner } from './mask-step-on-spark';

/**
 * The Spark mask job answered by the run's long-lived Spark process (`cur_spark.jobs.serve`, kind `mask`, which calls
 * `cur_spark.mask.run_mask` in the run's one session) instead of a new JVM per batch. The process must have been
 * started with the key service's credential in its environment (`KEY_SERVICE_TOKEN_ENV`). A refusal keeps the job's
 * code (`MASKING_INCOMPLETE`, `KEY_SERVICE_FAILED`, ...) and value-free message.
 *
 * @example
 * const runMaskJob = sparkProcessMaskJob(spark);
 * await runMaskStepOnSpark({ ...deps, runMaskJob, keyService }, batch);
 */
export function sparkProcessMaskJob(jobs: SparkJobPort): SparkMaskJobRunner {
  return async (request: MaskRequest): Promise<MaskResult> => MaskResultSchema.parse(await jobs.request('mask', { request }));
}
