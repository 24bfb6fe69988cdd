import { createDqNotifierHandler, type DqNotifierDependencies } from '@cur/dq-alerts';
import { createDqNotifierDependencies } from './wiring';

let dependencies: Promise<DqNotifierDependencies> | undefined;

/**
 * The Lambda entry (`handler.handler`) for Glue Data Quality's "Data Quality Evaluation Results Available" events.
 * The logic is `createDqNotifierHandler` in libs/dq-alerts, shared with the local pipeline; this file only wires it.
 */
export const handler = createDqNotifierHandler(() => {
  dependencies ??= createDqNotifierDependencies().catch((error: unknown) => {
    dependencies = undefined;
    throw error;
  });
  return dependencies;
});
