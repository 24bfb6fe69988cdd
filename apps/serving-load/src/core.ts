import type { ServingLoadResult } from '@cur/serving';
import type { ServingLoadRequest } from './serving-load-request';

/** What the load of one business date needs; the wiring builds it from the platform's ports. */
export interface ServingLoadDependencies {
  /** Runs libs/serving's `loadServingStore` for the date, as `cur run`'s last step does, and lets go of its scratch files. */
  loadBusinessDate(businessDate: string): Promise<ServingLoadResult>;
}

/**
 * The DAG's serving task: loads the run's business date into the serving store and makes it the served version.
 * A date older than the served one is refused (`SERVING_STALE_LOAD`), as `cur run` refuses it.
 *
 * @throws ServingError `SERVING_INPUT_MISSING`, `SERVING_STALE_LOAD`, `SERVING_LOAD_CONFLICT`; CurError
 * `CONTENT_MISMATCH` when a published file no longer holds its manifest's bytes
 */
export async function runServingLoad(request: ServingLoadRequest, dependencies: ServingLoadDependencies): Promise<ServingLoadResult> {
  return dependencies.loadBusinessDate(request.businessDate);
}
