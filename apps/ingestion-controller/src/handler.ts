import { createIngestionHandler, type IngestionDependencies } from '@cur/ingestion';
import { createIngestionDependencies } from './wiring';

let dependencies: Promise<IngestionDependencies> | undefined;

/**
 * The Lambda entry (`handler.handler`): S3 notifications of control files and the periodic schedule. The logic is
 * `createIngestionHandler` in libs/ingestion, the same function `cur ingest` runs locally; this file only wires it.
 * A failure throws, so Lambda retries and finally dead-letters the event.
 */
export const handler = createIngestionHandler(() => {
  dependencies ??= createIngestionDependencies().catch((error: unknown) => {
    dependencies = undefined;
    throw error;
  });
  return dependencies;
});
