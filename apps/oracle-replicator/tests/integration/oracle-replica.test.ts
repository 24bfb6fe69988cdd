import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMaskingPolicy } from '@cur/policy';
import { REPLICA_TABLES, oracleSchemaStatements } from '@cur/replication';
import { handleOracleReplicator } from '../../src/handler';
import { createOracleReplicatorDependencies } from '../../src/wiring';
import { seedCustomerTags } from '../helpers/seed-lake';

/**
 * Against a real Oracle (23ai Free in a container, say): `CUR_ORACLE_URL=oracle://cur_replica:<password>@localhost:1521/FREEPDB1`
 * (`oracles://...:2484/...` over TLS, its CA in NODE_EXTRA_CA_CERTS),
 * a user with CREATE TABLE, CREATE VIEW and CREATE ROLE whose schema may be emptied. Nobody on the team has one here,
 * so without the variable this test is skipped, saying so.
 */
const url = process.env['CUR_ORACLE_URL'];
if (!url) console.warn('CUR_ORACLE_URL is not set: the test against a real Oracle is skipped (the generated DDL is only parsed, and the SQLite stand-in loaded, without it)');

describe.skipIf(!url)('the Oracle replica (CUR_ORACLE_URL)', () => {
  it('takes the generated DDL, then a load of the lake that reconciles', { timeout: 120_000 }, async () => {
    const { OracleReplicaTarget, parseOracleUrl } = await import('@cur/adapters-aws/replication');
    const options = parseOracleUrl(url as string);
    const { default: oracledb } = await import('oracledb');
    const connection = await oracledb.getConnection({ user: options.user, password: options.password, connectString: options.connectString });
    try {
      for (const table of REPLICA_TABLES) await connection.execute(`BEGIN EXECUTE IMMEDIATE 'DROP TABLE ${options.schema}.${table.name} PURGE'; EXCEPTION WHEN OTHERS THEN NULL; END;`);
      for (const statement of oracleSchemaStatements(createMaskingPolicy(), REPLICA_TABLES, { schema: options.schema })) {
        if (statement.purpose === 'role' || statement.purpose === 'grant') continue; // roles are the DBA's, once per database
        await connection.execute(statement.sql);
      }
    } finally {
      await connection.close();
    }
    const home = await mkdtemp(join(tmpdir(), 'cur-oracle-'));
    await seedCustomerTags(home, '2026-11-25');
    const deps = await createOracleReplicatorDependencies({ CUR_HOME: home, CUR_ORACLE_URL: url });
    try {
      const event = { version: '0', id: 'x', 'detail-type': 'Layer Published', source: 'cur.platform', account: '123456789012', time: '2026-11-25T22:45:00Z', region: 'ap-northeast-1', resources: [], detail: { step: 'consumption', zone: 'consumption', datasets: ['customer_tags'], businessDate: '2026-11-25', manifestKey: 'manifests/consumption/customer_tags/business_date=2026-11-25.json', rowCount: 3 } };
      const outcome = await handleOracleReplicator(event, () => Promise.resolve(deps));
      expect(outcome).toMatchObject({ outcome: 'replicated', report: { status: 'matched' } });
      expect(deps.target).toBeInstanceOf(OracleReplicaTarget);
    } finally {
      await deps.close();
    }
  });
});
