import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDbSqlEngine } from '@cur/adapters-local';
import { evaluateDqdl, type DqRuleResult } from '../../../src/index';
import { column, openEngine, typedView } from '../../helpers/duckdb-table';

let engine: DuckDbSqlEngine;
beforeAll(async () => {
  engine = await openEngine();
});
afterAll(() => engine.close());

/** Evaluates one rule over `dq_target`, with `dq_reference` registered as the alias `reference`. */
async function evaluate(rule: string): Promise<DqRuleResult> {
  const [result] = await evaluateDqdl(`Rules = [ ${rule} ]`, { engine, references: { reference: 'dq_reference' } });
  if (!result) throw new Error('no result');
  return result;
}

const rows = (count: number): string[][] => Array.from({ length: count }, (_, i) => [String(i + 1)]);

describe('Rule: RowCount', () => {
  const rule = 'RowCount between 2 and 5';

  it('passes when the row count meets the condition', async () => {
    await typedView(engine, 'dq_target', { id: 'INTEGER' }, rows(3));

    expect(await evaluate(rule)).toMatchObject({ Result: 'PASS', EvaluatedMetrics: { 'Dataset.*.RowCount': 3 } });
  });

  it('fails on a bound, as between excludes both ends', async () => {
    await typedView(engine, 'dq_target', { id: 'INTEGER' }, rows(5));

    expect(await evaluate(rule)).toMatchObject({ Result: 'FAIL', EvaluatedMetrics: { 'Dataset.*.RowCount': 5 }, EvaluationMessage: 'Value: 5 does not meet the constraint requirement!' });
  });

  it('counts the rows of its where clause, and ignores the column the DQDL reference\'s example gives it', async () => {
    await typedView(engine, 'dq_target', { id: 'INTEGER' }, rows(5));

    expect(await evaluate('RowCount "id" = 2 where "id > 3"')).toMatchObject({ Result: 'PASS', EvaluatedMetrics: { 'Dataset.*.RowCount': 2 } });
  });
});

describe('Rule: RowCountMatch', () => {
  const rule = 'RowCountMatch "reference" >= 0.9';

  it('passes when the dataset has enough rows compared with the reference', async () => {
    await typedView(engine, 'dq_target', { id: 'INTEGER' }, rows(9));
    await typedView(engine, 'dq_reference', { id: 'INTEGER' }, rows(10));

    expect(await evaluate(rule)).toMatchObject({ Result: 'PASS', EvaluatedMetrics: { 'Dataset.reference.RowCountMatch': 9 / 10 } });
  });

  it('fails when it has too few', async () => {
    await typedView(engine, 'dq_target', { id: 'INTEGER' }, rows(8));
    await typedView(engine, 'dq_reference', { id: 'INTEGER' }, rows(10));

    expect(await evaluate(rule)).toMatchObject({ Result: 'FAIL', EvaluatedMetrics: { 'Dataset.reference.RowCountMatch': 8 / 10 } });
  });
});

describe('Rule: ColumnCount', () => {
  it('passes when the dataset has the number of columns', async () => {
    await typedView(engine, 'dq_target', { a: 'INTEGER', b: 'VARCHAR', c: 'DATE' }, []);

    expect(await evaluate('ColumnCount = 3')).toMatchObject({ Result: 'PASS', EvaluatedMetrics: { 'Dataset.*.ColumnCount': 3 } });
  });

  it('fails when it has another', async () => {
    await typedView(engine, 'dq_target', { a: 'INTEGER', b: 'VARCHAR' }, []);

    expect(await evaluate('ColumnCount = 3')).toMatchObject({ Result: 'FAIL', EvaluatedMetrics: { 'Dataset.*.ColumnCount': 2 } });
  });
});

describe('Rule: ColumnExists', () => {
  it('passes when the column exists', async () => {
    await typedView(engine, 'dq_target', { email: 'VARCHAR' }, []);

    expect(await evaluate('ColumnExists "email"')).toEqual(expect.objectContaining({ Result: 'PASS', EvaluatedMetrics: {} }));
  });

  it('fails when it does not', async () => {
    await typedView(engine, 'dq_target', { mobile: 'VARCHAR' }, []);

    expect(await evaluate('ColumnExists "email"')).toMatchObject({ Result: 'FAIL', EvaluationMessage: 'Column email does not exist' });
  });
});

describe('Rule: SchemaMatch', () => {
  it('passes when both datasets have the same columns and types', async () => {
    await typedView(engine, 'dq_target', { id: 'INTEGER', name: 'VARCHAR' }, []);
    await typedView(engine, 'dq_reference', { name: 'VARCHAR', id: 'INTEGER' }, []);

    expect(await evaluate('SchemaMatch "reference" = 1.0')).toMatchObject({ Result: 'PASS', EvaluatedMetrics: { 'Dataset.reference.SchemaMatch': 1 } });
  });

  it('fails when a type differs or a column is missing', async () => {
    await typedView(engine, 'dq_target', { id: 'INTEGER', name: 'VARCHAR' }, []);
    await typedView(engine, 'dq_reference', { id: 'BIGINT', name: 'VARCHAR', extra: 'DATE' }, []);

    // 3 column names in all; only `name` matches by name and type.
    expect(await evaluate('SchemaMatch "reference" = 1.0')).toMatchObject({ Result: 'FAIL', EvaluatedMetrics: { 'Dataset.reference.SchemaMatch': 1 / 3 } });
  });
});

describe('Rule: CustomSql', () => {
  const columns = { id: 'INTEGER', amount: 'DECIMAL(10,2)' };

  it('passes when the statement\'s number meets the condition', async () => {
    await typedView(engine, 'dq_target', columns, [['1', '5.00'], ['2', '0.00']]);

    expect(await evaluate('CustomSql "select count(*) from primary where amount < 0" = 0')).toMatchObject({ Result: 'PASS', EvaluatedMetrics: { 'Dataset.*.CustomSQL': 0 } });
  });

  it('fails when it does not', async () => {
    await typedView(engine, 'dq_target', columns, [['1', '-5.00'], ['2', '-1.00'], ['3', '2.00']]);

    expect(await evaluate('CustomSql "select count(*) from primary where amount < 0" = 0')).toMatchObject({ Result: 'FAIL', EvaluatedMetrics: { 'Dataset.*.CustomSQL': 2 } });
  });

  it('without a condition, passes when the statement selects every row', async () => {
    await typedView(engine, 'dq_target', columns, [['1', '5.00'], ['2', '0.00']]);

    expect(await evaluate('CustomSql "select id from primary where amount >= 0"')).toMatchObject({ Result: 'PASS', EvaluatedMetrics: { 'Dataset.*.CustomSQL.Compliance': 1 } });
  });

  it('without a condition, fails when it leaves rows out, unless a threshold allows it', async () => {
    await typedView(engine, 'dq_target', columns, [['1', '5.00'], ['2', '-1.00'], ['3', '-2.00'], ['4', '1.00']]);

    expect(await evaluate('CustomSql "select id from primary where amount >= 0"')).toMatchObject({ Result: 'FAIL', EvaluatedMetrics: { 'Dataset.*.CustomSQL.Compliance': 2 / 4 } });
    expect((await evaluate('CustomSql "select id from primary where amount >= 0" with threshold >= 0.5')).Result).toBe('PASS');
  });

  it('reads reference aliases as their views', async () => {
    await typedView(engine, 'dq_target', { id: 'INTEGER' }, rows(2));
    await typedView(engine, 'dq_reference', { id: 'INTEGER' }, rows(3));

    expect(await evaluate('CustomSql "select count(*) from reference r left join primary p on p.id = r.id where p.id is null" = 1')).toMatchObject({ Result: 'PASS' });
  });

  it('refuses anything but one SELECT, and a result that is not one number, as errors', async () => {
    await typedView(engine, 'dq_target', { id: 'INTEGER' }, rows(2));

    expect(await evaluate('CustomSql "delete from primary" = 0')).toMatchObject({ Result: 'ERROR', EvaluationMessage: 'CustomSql must be a single SELECT statement' });
    expect(await evaluate('CustomSql "select 1; select 2" = 0')).toMatchObject({ Result: 'ERROR' });
    expect(await evaluate('CustomSql "select id from primary" = 0')).toMatchObject({ Result: 'ERROR', EvaluationMessage: 'CustomSql with a condition must return exactly one row with one column' });
    expect(await evaluate('CustomSql "select \'some text\' from primary limit 1" = 0')).toMatchObject({ Result: 'ERROR', EvaluationMessage: 'CustomSql with a condition must return a number' });
  });
});

describe('Rule: ReferentialIntegrity', () => {
  const rule = 'ReferentialIntegrity "cust_id" "reference.{id}" >= 0.75';

  it('passes when enough keys are found in the reference', async () => {
    await typedView(engine, 'dq_target', { cust_id: 'VARCHAR' }, column(['a', 'b', 'c', 'd']));
    await typedView(engine, 'dq_reference', { id: 'VARCHAR' }, column(['a', 'b', 'c', 'c']));

    expect(await evaluate(rule)).toMatchObject({ Result: 'PASS', EvaluatedMetrics: { 'Column.reference.ReferentialIntegrity': 3 / 4 } });
  });

  it('fails when too few are, counting a NULL key as not found', async () => {
    await typedView(engine, 'dq_target', { cust_id: 'VARCHAR' }, column(['a', 'x', 'y', null]));
    await typedView(engine, 'dq_reference', { id: 'VARCHAR' }, column(['a', 'b']));

    expect(await evaluate(rule)).toMatchObject({ Result: 'FAIL', EvaluatedMetrics: { 'Column.reference.ReferentialIntegrity': 1 / 4 } });
  });

  it('matches several columns at once, across types', async () => {
    await typedView(engine, 'dq_target', { city: 'VARCHAR', zip: 'VARCHAR' }, [['Taipei', '100'], ['Taipei', '999']]);
    await typedView(engine, 'dq_reference', { ref_city: 'VARCHAR', ref_zip: 'INTEGER' }, [['Taipei', '100']]);

    expect(await evaluate('ReferentialIntegrity "city,zip" "reference.{ref_city,ref_zip}" = 0.5')).toMatchObject({ Result: 'PASS', EvaluatedMetrics: { 'Column.reference.ReferentialIntegrity': 1 / 2 } });
  });

  it('reports a reference nobody registered as an error', async () => {
    await typedView(engine, 'dq_target', { cust_id: 'VARCHAR' }, column(['a']));

    expect(await evaluate('ReferentialIntegrity "cust_id" "customers.{id}" = 1.0')).toMatchObject({ Result: 'ERROR', EvaluationMessage: "reference dataset 'customers' is not registered (registered: reference)" });
  });
});
