import { z } from 'zod';
import { instrumentHandler, ValidationError, type LambdaContext, type Logger } from '@cur/platform';
import { SERVICE_NAME } from './constants';
import { rotateDataHubToken, type RotationStepResult, type TokenRotationDependencies } from './core';
import { logger } from './observability';
import { RotationEventSchema } from './rotation-event';
import { createTokenRotationDependencies } from './wiring';

/**
 * The rotation in the service's Powertools conventions: the event is validated, the step runs, its outcome is
 * logged (step and outcome), and a failure is logged with its code only and thrown, so Secrets Manager marks the
 * rotation failed and retries. Never logs the event, a secret or DataHub's answers.
 */
export function createTokenRotationLambda(
  dependencies: () => TokenRotationDependencies,
  tools: { readonly logger: Logger } = { logger },
): (event: unknown, context?: LambdaContext) => Promise<RotationStepResult> {
  return instrumentHandler(async (event: unknown) => {
    const parsed = RotationEventSchema.safeParse(event);
    if (!parsed.success) throw new ValidationError(`${SERVICE_NAME} received an event that is not a Secrets Manager rotation step: ${z.prettifyError(parsed.error)}`);
    try {
      const result = await rotateDataHubToken(parsed.data, dependencies());
      tools.logger.info('rotation step finished', { operation: result.step, status: result.outcome });
      return result;
    } catch (error) {
      const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'ROTATION_FAILED';
      tools.logger.error('rotation step failed', { operation: parsed.data.Step, code });
      throw error;
    }
  }, tools);
}

let dependencies: TokenRotationDependencies | undefined;

/** The Lambda entry (`handler.handler`) Secrets Manager invokes for each rotation step. */
export const handler = createTokenRotationLambda(() => (dependencies ??= createTokenRotationDependencies()));
