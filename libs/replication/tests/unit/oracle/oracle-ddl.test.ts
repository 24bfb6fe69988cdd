import { describe, expect, it } from 'vitest';
import { createMaskingPolicy, parsePolicyOverrides } from '@cur/policy';
import {
  REPLICA_TABLES,
  oracleClearPartition,
  oracleCreateTable,
  oracleInsertRow,
  oracleRoleStatements,
  oracleSchemaStatements,
  oracleSelectPartition,
  renderOracleScript,
  replicaTable,
} from '../../../src/index';
import { OUTSIDE_THE_GRAMMAR, plsqlErrors } from '../../helpers/plsql';

const policy = createMaskingPolicy();
const statements = oracleSchemaStatements(policy, REPLICA_TABLES);

describe('oracleSchemaStatements', () => {
  it('parses as PL/SQL, every statement the grammar covers; CREATE ROLE, which it does not, is held to its exact form', () => {
    const outside = statements.filter((statement) => OUTSIDE_THE_GRAMMAR.some((pattern) => pattern.test(statement.sql)));
    const failures = statements.filter((statement) => !outside.includes(statement)).flatMap((statement) => plsqlErrors(statement.sql).map((error) => `${statement.object}: ${error}`));
    expect(failures).toEqual([]);
    expect(outside.map((statement) => statement.purpose)).toEqual(['role', 'role', 'role', 'role', 'role', 'role']);
    expect(statements.length).toBeGreaterThan(40);
  });

  it('is checked by a parser that does reject broken Oracle DDL', () => {
    expect(plsqlErrors('CREATE TABLE CUR_REPLICA.X (A NUMBER(10 NOT NULL)')).not.toEqual([]);
    expect(plsqlErrors("CREATE TABLE CUR_REPLICA.X (A NUMBER(10)) PARTITION BY RANGE (A) INTERVAL (1) (PARTITION P VALUES LESS THAN")).not.toEqual([]);
  });

  it('is pinned: the whole script, as the schema owner applies it', async () => {
    await expect(renderOracleScript(statements)).toMatchFileSnapshot('__snapshots__/cur-replica.sql');
  });

  it('sizes text in characters, so Chinese text fits in AL32UTF8', () => {
    expect(oracleCreateTable(replicaTable('customer_tags'))).toContain('TAG VARCHAR2(64 CHAR) NOT NULL');
  });

  it('maps each contract type to its Oracle type', () => {
    const ddl = oracleCreateTable(replicaTable('customer_features'));
    expect(ddl).toContain('AUM_TOTAL NUMBER(18,2) NOT NULL');
    expect(ddl).toContain('RISK_LEVEL NUMBER(10),');
    expect(ddl).toContain('APP_SHARE BINARY_DOUBLE');
    expect(oracleCreateTable(replicaTable('tag_metrics_monthly'))).toContain('CUSTOMERS NUMBER(19) NOT NULL');
  });

  it('keys each date by the contract key and partitions by business date, one interval partition a day', () => {
    const ddl = oracleCreateTable(replicaTable('customer_tags'));
    expect(ddl).toContain('CONSTRAINT CUSTOMER_TAGS_PK PRIMARY KEY (BUSINESS_DATE, CUST_ID, TAG) USING INDEX LOCAL');
    expect(ddl).toContain("PARTITION BY RANGE (BUSINESS_DATE) INTERVAL (NUMTODSINTERVAL(1, 'DAY'))");
  });
});

describe('oracleRoleStatements', () => {
  it('mirrors every platform role, and lets the application role read the tags', () => {
    const sql = oracleRoleStatements(policy, REPLICA_TABLES).map((statement) => statement.sql);
    for (const role of ['DE', 'DA', 'DS', 'DM', 'AP', 'SYSTEM']) expect(sql).toContain(`CREATE ROLE CUR_${role}`);
    expect(sql).toContain('GRANT SELECT ON CUR_REPLICA.CUSTOMER_TAGS TO CUR_AP');
    expect(sql).toContain('GRANT SELECT, INSERT, DELETE ON CUR_REPLICA.CUSTOMER_TAGS TO CUR_SYSTEM');
  });

  it('gives a role a view without the columns the policy hides from it, and a marker for redacted ones', () => {
    const overridden = createMaskingPolicy(parsePolicyOverrides([{ dataset: 'customer_features', columns: { branch_code: { method: 'redact', params: {} }, top_mcc_1m: { method: 'drop', params: {} } } }]));
    const generated = oracleRoleStatements(overridden, [replicaTable('customer_features')]);
    const view = generated.find((statement) => statement.object === 'CUR_REPLICA.CUSTOMER_FEATURES_AP_V');
    expect(view?.sql).toContain("'***' AS BRANCH_CODE");
    expect(view?.sql).not.toContain('TOP_MCC_1M');
    expect(generated.map((statement) => statement.sql)).toContain('GRANT SELECT ON CUR_REPLICA.CUSTOMER_FEATURES_AP_V TO CUR_AP');
    expect(generated.filter((statement) => statement.purpose !== 'role').flatMap((statement) => plsqlErrors(statement.sql))).toEqual([]);
  });
});

describe('the replicator statements', () => {
  const table = replicaTable('customer_features');

  it('empty one date and parse as PL/SQL', () => {
    const clear = oracleClearPartition(table, '2026-11-25');
    expect(clear).toBe("DELETE FROM CUR_REPLICA.CUSTOMER_FEATURES WHERE BUSINESS_DATE = TO_DATE('2026-11-25', 'YYYY-MM-DD')");
    for (const sql of [clear, oracleSelectPartition(table), oracleInsertRow(table)]) expect(plsqlErrors(sql), sql).toEqual([]);
  });

  it('refuse a business date that is not a day, before it reaches SQL', () => {
    expect(() => oracleClearPartition(table, "2026-11-25') --")).toThrow(/YYYY-MM-DD/);
    expect(() => oracleClearPartition(table, '2026-02-30')).toThrow(/YYYY-MM-DD/);
  });
});
