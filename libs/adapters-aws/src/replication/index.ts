export { OracleReplicaTarget, isTlsConnectString, oracleConnectAttributes, parseOracleUrl } from './oracle-replica-target';
export type { OracleConnectionOptions } from './oracle-replica-target';
export { DmsReplicationTaskRunner } from './dms-replication-task-runner';
export type { DmsReplicationTaskRunnerOptions } from './dms-replication-task-runner';
export { readSecretThroughLambdaExtension } from './lambda-extension-secret';
