import { createModelHistoryHandler, type ModelHistoryDependencies, type ModelHistoryOutcome } from '@cur/model-registry';
import { instrumentHandler, type LambdaContext, type Logger } from '@cur/platform';
import { logger } from './observability';
import { createModelHistoryDependencies } from './wiring';

/**
 * The model-history's logic (`createModelHistoryHandler` in libs/model-registry, which `cur model train` runs too)
 * in the service's Powertools conventions: the logger gets the Lambda context; the event is parsed with Powertools
 * Parser's EventBridge envelope (`SageMakerTrainingJobStateChangeSchema`), recorded once per event id (Powertools
 * Idempotency), never logged. A failure throws a coded error, so Lambda retries and finally dead-letters.
 */
export function createModelHistoryLambda(
  dependencies: () => Promise<ModelHistoryDependencies>,
  tools: { readonly logger: Logger } = { logger },
): (event: unknown, context?: LambdaContext) => Promise<ModelHistoryOutcome> {
  const handle = createModelHistoryHandler(dependencies);
  return instrumentHandler(async (event: unknown, context?: LambdaContext) => handle(event, context), tools);
}

let dependencies: Promise<ModelHistoryDependencies> | undefined;

/** The Lambda entry (`handler.handler`) for SageMaker's "Training Job State Change" events. */
export const handler = createModelHistoryLambda(() => {
  dependencies ??= createModelHistoryDependencies().catch((error: unknown) => {
    dependencies = undefined;
    throw error;
  });
  return dependencies;
});
