import { join } from 'node:path';
import { ManifestStore, createContentVerifier } from '@cur/lake';
import { loadPlatformConfig } from '@cur/platform';
import { PublishedPartitionReader, type ReplicaTarget, type ReplicationTaskRunner, type ReplicatorDependencies } from '@cur/replication';
import { createBlobStores } from '@cur/runtime/blob-store';
import { createKeyValuePorts } from '@cur/runtime/key-value-store';
import { createNotifier } from '@cur/runtime/notifier';
import { loadOracleReplicatorConfig } from './config';
import { modelHistoryPointer } from './model-history-pointer';
import { captureSdkClients } from '@cur/platform/tracing';
import { logger, tracer } from './observability';

/** The replicator's dependencies, and how to let go of them (the replica connection, the runtime). */
export interface OracleReplicatorDependencies extends ReplicatorDependencies {
  close(): Promise<void>;
}

/**
 * The composition root. The lake side is the same everywhere: manifests from the system bucket (each checked
 * against its files' bytes) and the Parquet files they name. In AWS the load is the DMS task and the replica RDS for
 * Oracle (credentials from Secrets Manager through the Lambda extension); locally the load copies the same rows into
 * a SQLite file under the state folder (`.cur/oracle/replica.sqlite`), or into the Oracle `CUR_ORACLE_URL` names.
 */
export async function createOracleReplicatorDependencies(env: NodeJS.ProcessEnv = process.env): Promise<OracleReplicatorDependencies> {
  const config = loadOracleReplicatorConfig(env);
  const platform = loadPlatformConfig(env);
  // The lake (S3) and notifications (SNS) are the platform ports this service uses; DMS and Oracle are its own.
  const capture = captureSdkClients(tracer);
  const [blobs, notifications, keyValue] = await Promise.all([createBlobStores(platform, capture), createNotifier(platform, capture), createKeyValuePorts(platform, capture)]);
  const system = blobs.get('system');
  const buckets = (zone: 'consumption' | 'mart') => blobs.get(zone);
  const lake = new PublishedPartitionReader(new ManifestStore(system, { verify: createContentVerifier((zone) => blobs.get(zone)) }), buckets);
  let target: ReplicaTarget;
  let runner: ReplicationTaskRunner;
  if (config.load === 'dms') {
    const [{ DmsReplicationTaskRunner, OracleReplicaTarget, readSecretThroughLambdaExtension }, { DatabaseMigrationServiceClient }] = await Promise.all([
      import('@cur/adapters-aws/replication'),
      import('@aws-sdk/client-database-migration-service'),
    ]);
    const secret = await readSecretThroughLambdaExtension(config.target.secretId, env);
    target = await OracleReplicaTarget.connect({ user: secret.username, password: secret.password, connectString: config.target.connectString, ...(config.target.schema ? { schema: config.target.schema } : {}) });
    runner = new DmsReplicationTaskRunner(capture.captureClient(new DatabaseMigrationServiceClient({ region: platform.region })), { taskArn: config.taskArn, staging: system, buckets, ...(config.target.schema ? { schema: config.target.schema } : {}) });
  } else {
    if (config.target.kind === 'oracle-url') {
      const { OracleReplicaTarget, parseOracleUrl } = await import('@cur/adapters-aws/replication');
      target = await OracleReplicaTarget.connect(parseOracleUrl(config.target.url, config.target.schema));
    } else {
      const { SqliteReplicaTarget, LOCAL_REPLICA_FILE } = await import('@cur/adapters-local/replication');
      target = await SqliteReplicaTarget.open(join(platform.home, LOCAL_REPLICA_FILE));
    }
    const { LakeCopyTaskRunner } = await import('@cur/adapters-local/replication');
    runner = new LakeCopyTaskRunner(lake, target);
  }
  return {
    lake,
    runner,
    target,
    notifier: notifications.notifier,
    system,
    // Model tags of any version but the promoted one are not replicated.
    models: modelHistoryPointer(keyValue.keyValueStore),
    logger,
    close: async () => {
      await target.close();
      await Promise.all([blobs.close(), notifications.close(), keyValue.close()]);
    },
  };
}
