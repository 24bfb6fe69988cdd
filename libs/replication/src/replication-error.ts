import { CurError, type CurErrorOptions } from '@cur/platform';

/** The codes of replication's own failures, beside the platform's. */
export const REPLICATION_ERROR_CODES = {
  /** A dataset's partition is not published for the business date asked. */
  INPUT_MISSING: 'INPUT_MISSING',
  /** The contracts lack what the replica needs (a string column without `maxLength`). */
  CONTRACT_INCOMPLETE: 'CONTRACT_INCOMPLETE',
  /** The replica database lacks a table the contracts declare: its DDL was not applied. */
  REPLICA_SCHEMA_MISSING: 'REPLICA_SCHEMA_MISSING',
  /** The load (a DMS task, or the local copy) failed or did not finish in time. */
  REPLICATION_TASK_FAILED: 'REPLICATION_TASK_FAILED',
  /** Rows or content differ between the lake and the replica after a load. */
  REPLICA_MISMATCH: 'REPLICA_MISMATCH',
} as const;

/** One replication error code. */
export type ReplicationErrorCode = (typeof REPLICATION_ERROR_CODES)[keyof typeof REPLICATION_ERROR_CODES];

/** The one error of libs/replication. Messages name datasets, tables, dates and counts, never a row value. */
export class ReplicationError extends CurError {
  constructor(code: ReplicationErrorCode, message: string, options?: CurErrorOptions) {
    super(code, message, options);
    this.name = 'ReplicationError';
  }
}
