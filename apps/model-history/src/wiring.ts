import { join } from 'node:path';
import { trainingJobNamePrefix } from '@cur/contracts';
import { MODEL_EVENT_IDEMPOTENCY_PARTITION, exportModelHistory, type ModelHistoryDependencies, type ModelHistoryExportResult } from '@cur/model-registry';
import { loadPlatformConfig, type Logger } from '@cur/platform';
import { captureSdkClients } from '@cur/platform/tracing';
import { createBlobStores } from '@cur/runtime/blob-store';
import { createIdempotencyStore } from '@cur/runtime/idempotency';
import { createKeyValuePorts } from '@cur/runtime/key-value-store';
import { loadModelHistoryConfig } from './config';
import { EXPORT_ENGINE_MEMORY_LIMIT } from './constants';
import { logger as serviceLogger, tracer } from './observability';

/** The handler's dependencies: the model history's, and how to rewrite its exports. */
export interface ModelHistoryAppDependencies extends ModelHistoryDependencies {
  /** Rewrites `model_history` and `model_score_distributions` in the system bucket from the whole history. */
  exportHistory(): Promise<ModelHistoryExportResult>;
  /** Lets go of the SDK clients (tests; Lambda keeps them for the container's life). */
  close(): Promise<void>;
}

/**
 * The composition root: the `model-history` table (DynamoDB, or dynalite locally) for the versions and for
 * Powertools Idempotency's records of each event; the stage's training job name prefix (jobs of other launchers
 * are ignored); and for the exports the system bucket (S3, or the state folder's lake) and an in-process DuckDB
 * opened for each export (libs/adapters-local's engine, the one `cur model train` exports with; its native addon
 * ships beside the bundle).
 */
export async function createModelHistoryDependencies(env: NodeJS.ProcessEnv = process.env, logger: Logger = serviceLogger): Promise<ModelHistoryAppDependencies> {
  const config = loadPlatformConfig(env);
  const { scratchDir } = loadModelHistoryConfig(env);
  const capture = captureSdkClients(tracer);
  const [keyValue, blobs] = await Promise.all([createKeyValuePorts(config, capture), createBlobStores(config, capture)]);
  return {
    keyValueStore: keyValue.keyValueStore,
    idempotencyStore: await createIdempotencyStore(keyValue, 'model-history', MODEL_EVENT_IDEMPOTENCY_PARTITION),
    logger,
    // The stage's own jobs only, as the rule matches them: another job that reaches the function is ignored.
    trainingJobNamePrefix: trainingJobNamePrefix(config.stage),
    exportHistory: async () => {
      const { DuckDbSqlEngine } = await import('@cur/adapters-local/sql-engine');
      const engine = await DuckDbSqlEngine.open({ threads: 1, memoryLimit: EXPORT_ENGINE_MEMORY_LIMIT, tempDirectory: join(scratchDir, 'spill') });
      try {
        return await exportModelHistory({ keyValueStore: keyValue.keyValueStore, system: blobs.get('system'), engine, scratchDir });
      } finally {
        await engine.close();
      }
    },
    close: async () => {
      await Promise.all([keyValue.close(), blobs.close()]);
    },
  };
}
