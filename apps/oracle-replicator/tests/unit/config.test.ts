import { describe, expect, it } from 'vitest';
import { loadOracleReplicatorConfig } from '../../src/config';

describe('loadOracleReplicatorConfig', () => {
  it('copies into the local SQLite replica by default', () => {
    expect(loadOracleReplicatorConfig({})).toEqual({ load: 'local-copy', target: { kind: 'sqlite' } });
  });

  it('copies into a real Oracle when CUR_ORACLE_URL names one', () => {
    expect(loadOracleReplicatorConfig({ CUR_ORACLE_URL: 'oracle://cur_replica:secret@localhost:1521/FREEPDB1' })).toMatchObject({ load: 'local-copy', target: { kind: 'oracle-url' } });
    expect(loadOracleReplicatorConfig({ CUR_ORACLE_URL: 'oracles://cur_replica:secret@db.example:2484/FREEPDB1' })).toMatchObject({ load: 'local-copy', target: { kind: 'oracle-url' } });
    expect(() => loadOracleReplicatorConfig({ CUR_ORACLE_URL: 'postgres://x@y/z' })).toThrow(/CUR_ORACLE_URL/);
  });

  it('runs the DMS task into RDS in AWS, and names every setting it lacks', () => {
    expect(() => loadOracleReplicatorConfig({ CUR_MODE: 'aws' })).toThrow(/CUR_DMS_TASK_ARN, CUR_ORACLE_CONNECT_STRING, CUR_ORACLE_SECRET_ID required/);
    expect(
      loadOracleReplicatorConfig({ CUR_MODE: 'aws', CUR_DMS_TASK_ARN: 'arn:aws:dms:ap-northeast-1:123456789012:task:CURDEVREPLICA', CUR_ORACLE_CONNECT_STRING: 'tcps://cur-dev.abc.ap-northeast-1.rds.amazonaws.com:2484/CURDEV', CUR_ORACLE_SECRET_ID: 'cur/dev/oracle-replicator' }),
    ).toMatchObject({ load: 'dms', target: { kind: 'oracle-secret', secretId: 'cur/dev/oracle-replicator', connectString: 'tcps://cur-dev.abc.ap-northeast-1.rds.amazonaws.com:2484/CURDEV' } });
  });

  it('refuses a plain TCP connect string in AWS: the replica is reached over TLS only', () => {
    expect(() =>
      loadOracleReplicatorConfig({ CUR_MODE: 'aws', CUR_DMS_TASK_ARN: 'arn:aws:dms:ap-northeast-1:123456789012:task:CURDEVREPLICA', CUR_ORACLE_CONNECT_STRING: 'cur-dev.abc.ap-northeast-1.rds.amazonaws.com:1521/CURDEV', CUR_ORACLE_SECRET_ID: 'cur/dev/oracle-replicator' }),
    ).toThrow(/must be tcps:\/\/host:port\/service when CUR_MODE=aws/);
  });
});
