import { describe, expect, it } from 'vitest';
import { createMaskingPolicy } from '@cur/policy';
import { DEFAULT_ORACLE_SCHEMA, REPLICA_OWNER_PASSWORD_VARIABLE, REPLICA_TABLES, oracleOwnerBootstrapStatements, oracleSchemaStatements, renderOracleBootstrapScript } from '../../../src/index';
import { plsqlErrors } from '../../helpers/plsql';

const statements = oracleOwnerBootstrapStatements();

describe('oracleOwnerBootstrapStatements', () => {
  it('parses as PL/SQL, the password variable standing in for the secret', () => {
    const failures = statements.flatMap((statement) => plsqlErrors(statement.sql.replace(`&&${REPLICA_OWNER_PASSWORD_VARIABLE}`, 'Example-Password-1')).map((error) => `${statement.sql}: ${error}`));
    expect(failures).toEqual([]);
  });

  it('creates the owner the DDL, DMS and the replicator use, with the password read at run time, never written', () => {
    expect(statements[0]?.sql).toBe(`CREATE USER ${DEFAULT_ORACLE_SCHEMA} IDENTIFIED BY "&&replica_owner_password" DEFAULT TABLESPACE USERS QUOTA UNLIMITED ON USERS`);
    const script = renderOracleBootstrapScript(statements, 'cur-dev/oracle/replica-owner');
    expect(script).toContain("ACCEPT replica_owner_password CHAR PROMPT 'Password of the replica owner (the secret cur-dev/oracle/replica-owner): ' HIDE");
    expect(script.indexOf('SET VERIFY OFF')).toBeLessThan(script.indexOf('CREATE USER'));
  });

  it('grants what the generated DDL needs and no ANY privilege on other schemas', () => {
    const grants = statements.filter((statement) => statement.sql.startsWith('GRANT')).map((statement) => statement.sql);
    expect(grants).toContain(`GRANT CREATE TABLE, CREATE VIEW, CREATE ROLE TO ${DEFAULT_ORACLE_SCHEMA}`);
    // The DDL only creates tables, comments, roles, grants on the owner's own objects, and views when a policy override narrows a role.
    const ddl = oracleSchemaStatements(createMaskingPolicy(), REPLICA_TABLES);
    for (const purpose of new Set(ddl.map((statement) => statement.purpose))) expect(['comment', 'grant', 'role', 'table', 'view']).toContain(purpose);
    expect(ddl.filter((statement) => statement.purpose === 'grant').every((statement) => statement.sql.includes(` ON ${DEFAULT_ORACLE_SCHEMA}.`))).toBe(true);
    expect(grants.filter((grant) => / ANY /.test(grant))).toEqual([`GRANT SELECT ANY TRANSACTION TO ${DEFAULT_ORACLE_SCHEMA}`]);
  });

  it('grants dictionary reads through rdsadmin, as RDS requires, each ended by / in the script', () => {
    const blocks = statements.filter((statement) => statement.kind === 'plsql');
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) expect(block.sql).toMatch(/^BEGIN rdsadmin\.rdsadmin_util\.grant_sys_object\(p_obj_name => '[A-Z_$]+', p_grantee => 'CUR_REPLICA', p_privilege => 'SELECT'\); END;$/);
    expect(renderOracleBootstrapScript(statements)).toContain("p_privilege => 'SELECT'); END;\n/");
  });

  it('is pinned: the whole script', async () => {
    await expect(renderOracleBootstrapScript(statements)).toMatchFileSnapshot('__snapshots__/cur-replica-bootstrap.sql');
  });
});
