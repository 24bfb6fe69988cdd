export { SqliteReplicaTarget, LOCAL_REPLICA_FILE } from './sqlite-replica-target';
export { LakeCopyTaskRunner } from './lake-copy-task-runner';
