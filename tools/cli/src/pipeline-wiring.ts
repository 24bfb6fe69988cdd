import { join } from 'node:path';
import { DuckDbSqlEngine } from '@cur/adapters-local';
import { StoredDqResultSource, createDqNotifierHandler } from '@cur/dq-alerts';
import { BatchLedger } from '@cur/ingestion';
import { KeyRing } from '@cur/masking';
import { DUCKDB_DIALECT, TAG_DEFINITIONS, type PipelineDependencies } from '@cur/pipeline';
import { ConfigError, createLogger } from '@cur/platform';
import { createMaskingPolicy } from '@cur/policy';
import type { Runtime } from '@cur/runtime';

/**
 * The pipeline on a laptop: the runtime's buckets and tables, DuckDB as the SQL engine over the local lake folder.
 * The caller closes the engine.
 */
export async function localPipelineDependencies(runtime: Runtime): Promise<PipelineDependencies> {
  const lake = runtime.localLakeDir;
  if (lake === undefined) throw new ConfigError('cur run executes the pipeline locally; in AWS the steps run as Glue jobs');
  return {
    buckets: {
      landing: runtime.blobStore('landing'),
      raw: runtime.blobStore('raw'),
      transformed: runtime.blobStore('transformed'),
      consumption: runtime.blobStore('consumption'),
      mart: runtime.blobStore('mart'),
      system: runtime.blobStore('system'),
    },
    locate: (bucket, key) => join(lake, bucket, ...key.split('/')),
    ledger: new BatchLedger(runtime.keyValueStore),
    engine: await DuckDbSqlEngine.open({ threads: 2 }),
    dialect: DUCKDB_DIALECT,
    policy: createMaskingPolicy(),
    maskers: { keyRing: new KeyRing(runtime.keyValueStore, runtime.keyVault()) },
    tags: TAG_DEFINITIONS,
    notifier: runtime.notifier(),
    events: runtime.events(),
    servingStore: runtime.keyValueStore,
    // Locally the dq-notifier's handler receives the evaluation event directly, as the Lambda would from EventBridge.
    onDqEvaluated: createDqNotifierHandler(async () => ({
      results: new StoredDqResultSource(runtime.blobStore('system')),
      notifier: runtime.notifier(),
      store: runtime.keyValueStore,
      logger: createLogger({ serviceName: 'dq-notifier' }),
    })),
  };
}
