import { TRAINING_JOB_NAME_MAX_LENGTH, trainingJobNamePrefix } from '@cur/contracts';
import { TAG_DEFINITIONS } from '@cur/pipeline';
import { z } from 'zod';
import { UsageError } from './process/usage-error';

/** The model kinds of the training job (`cur_model.hyperparameters.MODEL_KINDS`). */
export const MODEL_KINDS = ['gradient_boosting', 'logistic'] as const;

/** SageMaker's limits on a training job's hyperparameters: names and values are strings of at most these lengths. */
export const MAX_HYPERPARAMETER_NAME_LENGTH = 64;
export const MAX_HYPERPARAMETER_VALUE_LENGTH = 2500;
export const MAX_HYPERPARAMETERS = 100;

const PARAM = new RegExp(`^([a-z][a-z0-9_]{0,${MAX_HYPERPARAMETER_NAME_LENGTH - 1}})=(.*)$`, 's');

/**
 * The training flags of `cur model train` (local and `--aws` alike) as commander gives them, turned into the job's
 * hyperparameters: `--target`, `--model`, `--seed`, then each `--params name=value` (a name given twice, or one of
 * SageMaker's own `sagemaker_*`, is refused). The training script still refuses a name it does not know, or a value
 * out of range, by name (`INVALID_HYPERPARAMETER`).
 */
export const TrainingParamsSchema = z
  .strictObject({
    target: z.enum(TAG_DEFINITIONS.map((t) => t.name) as [string, ...string[]]).optional(),
    model: z.enum(MODEL_KINDS).optional(),
    seed: z.string().regex(/^\d{1,9}$/, 'is a whole number from 0 to 999999999').optional(),
    params: z
      .array(
        z
          .string()
          .regex(PARAM, 'takes name=value pairs with a lower-case name, e.g. max_depth=4 (got a malformed pair)')
          .refine((pair) => pair.length - pair.indexOf('=') - 1 <= MAX_HYPERPARAMETER_VALUE_LENGTH, `a value is at most ${MAX_HYPERPARAMETER_VALUE_LENGTH} characters`),
      )
      .max(MAX_HYPERPARAMETERS)
      .optional(),
  })
  .transform((flags, ctx) => {
    const values: Record<string, string> = {};
    if (flags.target !== undefined) values['target_tag'] = flags.target;
    if (flags.model !== undefined) values['model'] = flags.model;
    if (flags.seed !== undefined) values['seed'] = flags.seed;
    for (const pair of flags.params ?? []) {
      const [, name = '', value = ''] = PARAM.exec(pair) ?? [];
      if (name.startsWith('sagemaker_')) ctx.addIssue({ code: 'custom', path: ['params'], message: `${name}: sagemaker_* hyperparameters are SageMaker's own` });
      else if (name in values) ctx.addIssue({ code: 'custom', path: ['params'], message: `${name} is given twice (or also as its own flag)` });
      else values[name] = value;
    }
    return values;
  });

/** The job's hyperparameters: every name and value a string, as SageMaker takes them. */
export type Hyperparameters = z.output<typeof TrainingParamsSchema>;

/**
 * Validates the training flags and gives the job's hyperparameters.
 *
 * @throws UsageError (exit 2) naming the flag, when a value is out of range or a `--params` pair is malformed
 */
export function parseTrainingParams(flags: { target?: string; model?: string; seed?: string; params?: string[] }): Hyperparameters {
  const defined = Object.fromEntries(Object.entries(flags).filter(([key, value]) => value !== undefined && ['target', 'model', 'seed', 'params'].includes(key)));
  const parsed = TrainingParamsSchema.safeParse(defined);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const flag = issue?.path[0] === undefined ? '' : `--${String(issue.path[0])} `;
  throw new UsageError(`${flag}${issue?.message ?? 'invalid training flags'}`);
}

/**
 * A training job's name, which is also the model version id and, in AWS, the training execution's name:
 * `cur-<stage>-train-<target>-<yyyymmdd-hhmmss>-<4 hex>` ({@link trainingJobNamePrefix}), the target shortened so the
 * name keeps within SageMaker's 63 characters.
 *
 * @param stage the platform's stage
 * @param target the target tag (`_` becomes `-`)
 * @param at when the job is created
 * @param suffix 4 random hex characters
 */
export function trainingJobName(stage: string, target: string, at: Date, suffix: string): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const prefix = trainingJobNamePrefix(stage);
  const room = TRAINING_JOB_NAME_MAX_LENGTH - prefix.length - stamp.length - suffix.length - 2;
  const name = target.replaceAll('_', '-').slice(0, Math.max(room, 1)).replace(/-+$/, '');
  return `${prefix}${name}-${stamp}-${suffix}`;
}
