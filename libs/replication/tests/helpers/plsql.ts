import { PLSQL } from 'dt-sql-parser';

const parser = new PLSQL();

/**
 * The syntax errors dt-sql-parser's PL/SQL grammar finds in one statement (empty when it parses). The statement is
 * given its terminator, as in a script: the grammar wants one after some statements (GRANT).
 */
export function plsqlErrors(sql: string): string[] {
  return parser.validate(`${sql};`).map((error) => `${error.startLine}:${error.startColumn} ${error.message}`);
}

/**
 * Statements the grammar does not cover (its `CREATE ROLE` rule is missing), each held to an exact pattern instead.
 * @internal
 */
export const OUTSIDE_THE_GRAMMAR: readonly RegExp[] = [/^CREATE ROLE CUR_[A-Z]+$/];
