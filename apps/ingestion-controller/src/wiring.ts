import { BatchLedger, type IngestionDependencies } from '@cur/ingestion';
import { createLogger, loadPlatformConfig } from '@cur/platform';
import { createRuntime } from '@cur/runtime';
import { SERVICE_NAME } from './constants';

/**
 * The composition root: the landing and quarantine buckets, the ledger, and an accepted batch announced as a
 * `Batch Accepted` platform event (EventBridge in AWS), which starts the pipeline.
 */
export async function createIngestionDependencies(env: NodeJS.ProcessEnv = process.env): Promise<IngestionDependencies & { close(): Promise<void> }> {
  const runtime = await createRuntime(loadPlatformConfig(env));
  const events = runtime.events();
  return {
    landing: runtime.blobStore('landing'),
    quarantine: runtime.blobStore('quarantine'),
    ledger: new BatchLedger(runtime.keyValueStore),
    onAccepted: (batch) => events.publish('Batch Accepted', batch),
    logger: createLogger({ serviceName: SERVICE_NAME }),
    close: () => runtime.close(),
  };
}
