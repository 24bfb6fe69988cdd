import { join } from 'node:path';
import { createContentVerifier } from '@cur/lake';
import { loadPlatformConfig } from '@cur/platform';
import { captureSdkClients } from '@cur/platform/tracing';
import { createBlobStores } from '@cur/runtime/blob-store';
import { createKeyValuePorts } from '@cur/runtime/key-value-store';
import { loadServingStore } from '@cur/serving';
import { loadServingLoadConfig } from './config';
import type { ServingLoadDependencies } from './core';
import { tracer } from './observability';
import { StagedLakeFiles } from './staged-lake-files';
import { TAG_CATALOG } from './tag-catalog';

/** The load's dependencies, and how to let go of their clients. */
export interface ServingLoadWiring extends ServingLoadDependencies {
  close(): Promise<void>;
}

/**
 * The composition root: the system bucket's manifests (each checked against its files' bytes), the consumption and
 * mart files they name copied into the scratch folder, the `serving` table, and an in-process DuckDB opened for each
 * load (libs/adapters-local's engine, the one `cur run` loads with; its native addon ships beside the bundle). S3 and
 * DynamoDB in AWS, the state folder's lake and dynalite locally, as `loadPlatformConfig` says.
 */
export async function createServingLoadDependencies(env: NodeJS.ProcessEnv = process.env): Promise<ServingLoadWiring> {
  const config = loadServingLoadConfig(env);
  const platform = loadPlatformConfig(env);
  const capture = captureSdkClients(tracer);
  const [blobs, keyValue] = await Promise.all([createBlobStores(platform, capture), createKeyValuePorts(platform, capture)]);
  const verify = createContentVerifier((zone) => blobs.get(zone));
  return {
    loadBusinessDate: async (businessDate) => {
      const files = new StagedLakeFiles(join(config.scratchDir, 'files'), (bucket) => blobs.get(bucket));
      const { DuckDbSqlEngine } = await import('@cur/adapters-local/sql-engine');
      const engine = await DuckDbSqlEngine.open({ memoryLimit: config.engineMemoryLimit, tempDirectory: join(config.scratchDir, 'spill') });
      try {
        return await loadServingStore(
          { store: keyValue.keyValueStore, system: blobs.get('system'), verify, engine, locate: (bucket, key) => files.locate(bucket, key), tagCatalog: TAG_CATALOG },
          { businessDate },
        );
      } finally {
        await engine.close();
        await files.clear();
      }
    },
    close: async () => {
      await Promise.all([blobs.close(), keyValue.close()]);
    },
  };
}
