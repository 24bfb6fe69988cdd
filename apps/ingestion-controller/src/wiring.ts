import { BatchLedger, type IngestionDependencies } from '@cur/ingestion';
import { loadPlatformConfig, type Logger } from '@cur/platform';
import { createBlobStores } from '@cur/runtime/blob-store';
import { createEventPublisher } from '@cur/runtime/events';
import { createKeyValuePorts } from '@cur/runtime/key-value-store';
import { captureSdkClients } from '@cur/platform/tracing';
import { logger as serviceLogger, tracer } from './observability';

/**
 * The composition root: the landing and quarantine buckets, the ledger, and an accepted batch announced as a
 * `Batch Accepted` platform event (EventBridge in AWS), which starts the pipeline.
 */
export async function createIngestionDependencies(env: NodeJS.ProcessEnv = process.env, logger: Logger = serviceLogger): Promise<IngestionDependencies & { close(): Promise<void> }> {
  const config = loadPlatformConfig(env);
  const capture = captureSdkClients(tracer);
  // S3, DynamoDB and EventBridge: the only ports this service uses, so its bundle carries no other client.
  const [blobs, keyValue, { events, close: closeEvents }] = await Promise.all([
    createBlobStores(config, capture),
    createKeyValuePorts(config, capture),
    createEventPublisher(config, capture),
  ]);
  return {
    landing: blobs.get('landing'),
    quarantine: blobs.get('quarantine'),
    ledger: new BatchLedger(keyValue.keyValueStore),
    onAccepted: (batch) => events.publish('Batch Accepted', batch),
    logger,
    close: async () => {
      await Promise.all([blobs.close(), keyValue.close(), closeEvents()]);
    },
  };
}
