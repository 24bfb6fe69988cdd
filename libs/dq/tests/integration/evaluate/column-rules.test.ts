import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDbSqlEngine } from '@cur/adapters-local';
import { evaluateDqdl, type DqRuleResult } from '../../../src/index';
import { column, openEngine, typedView } from '../../helpers/duckdb-table';

let engine: DuckDbSqlEngine;
beforeAll(async () => {
  engine = await openEngine();
});
afterAll(() => engine.close());

/** Loads `rows` as the view `dq_target` and evaluates one rule over it. */
async function evaluate(rule: string, columns: Record<string, string>, rows: (string | null)[][]): Promise<DqRuleResult> {
  await typedView(engine, 'dq_target', columns, rows);
  const [result] = await evaluateDqdl(`Rules = [ ${rule} ]`, { engine });
  if (!result) throw new Error('no result');
  return result;
}

const populationStdDev = (values: number[]): number => {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length);
};
const entropy = (counts: number[]): number => {
  const total = counts.reduce((sum, count) => sum + count, 0);
  return -counts.reduce((sum, count) => sum + (count / total) * Math.log(count / total), 0);
};

describe('Rule: Completeness', () => {
  const rule = 'Completeness "email" > 0.7';

  it('passes when the share of non-NULL values meets the condition', async () => {
    const result = await evaluate(rule, { email: 'VARCHAR' }, column(['a', 'b', 'c', null]));

    expect(result).toMatchObject({ Result: 'PASS', EvaluatedMetrics: { 'Column.email.Completeness': 3 / 4 } });
    expect(result.EvaluationMessage).toBeUndefined();
  });

  it('fails, with the metric in the message, when it does not', async () => {
    const result = await evaluate(rule, { email: 'VARCHAR' }, column(['a', null, null, 'd']));

    expect(result).toMatchObject({ Result: 'FAIL', EvaluatedMetrics: { 'Column.email.Completeness': 2 / 4 }, EvaluationMessage: 'Value: 0.5 does not meet the constraint requirement!' });
  });
});

describe('Rule: IsComplete', () => {
  it('passes when no value is NULL', async () => {
    expect(await evaluate('IsComplete "id"', { id: 'INTEGER' }, column(['1', '2']))).toMatchObject({ Result: 'PASS', EvaluatedMetrics: { 'Column.id.Completeness': 1 } });
  });

  it('fails when a value is NULL', async () => {
    const result = await evaluate('IsComplete "id"', { id: 'INTEGER' }, column(['1', null, '3', '4']));

    expect(result).toMatchObject({ Result: 'FAIL', EvaluatedMetrics: { 'Column.id.Completeness': 3 / 4 }, EvaluationMessage: 'Value: 0.75 does not meet the constraint requirement!' });
  });
});

describe('Rule: Uniqueness', () => {
  const rule = 'Uniqueness "id" > 0.5';

  it('passes when enough rows hold a value that occurs once', async () => {
    // 1, 2 and 3 occur once, 4 twice: 3 of 5 rows are unique.
    expect(await evaluate(rule, { id: 'INTEGER' }, column(['1', '2', '3', '4', '4']))).toMatchObject({ Result: 'PASS', EvaluatedMetrics: { 'Column.id.Uniqueness': 3 / 5 } });
  });

  it('fails when too few do', async () => {
    expect(await evaluate(rule, { id: 'INTEGER' }, column(['1', '1', '2', '2', '3']))).toMatchObject({ Result: 'FAIL', EvaluatedMetrics: { 'Column.id.Uniqueness': 1 / 5 } });
  });

  it('measures a combination of columns as one', async () => {
    const result = await evaluate('Uniqueness "a" "b" = 1.0', { a: 'VARCHAR', b: 'VARCHAR' }, [['x', '1'], ['x', '2'], ['y', '1']]);

    expect(result).toMatchObject({ Result: 'PASS', EvaluatedMetrics: { 'Multicolumn.a,b.Uniqueness': 1 } });
  });
});

describe('Rule: IsUnique', () => {
  it('passes when every value occurs once', async () => {
    expect(await evaluate('IsUnique "id"', { id: 'VARCHAR' }, column(['a', 'b', 'c']))).toMatchObject({ Result: 'PASS', EvaluatedMetrics: { 'Column.id.Uniqueness': 1 } });
  });

  it('looks only at the rows of its where clause', async () => {
    expect(await evaluate('IsUnique "id" where "n > 1"', { id: 'VARCHAR', n: 'INTEGER' }, [['a', '1'], ['a', '2'], ['b', '3']])).toMatchObject({ Result: 'PASS', EvaluatedMetrics: { 'Column.id.Uniqueness': 1 } });
  });

  it('fails on a repeated value, and counts a NULL as not unique', async () => {
    expect(await evaluate('IsUnique "id"', { id: 'VARCHAR' }, column(['a', 'a', 'b']))).toMatchObject({ Result: 'FAIL', EvaluatedMetrics: { 'Column.id.Uniqueness': 1 / 3 } });
    expect(await evaluate('IsUnique "id"', { id: 'VARCHAR' }, column(['a', 'b', null]))).toMatchObject({ Result: 'FAIL', EvaluatedMetrics: { 'Column.id.Uniqueness': 2 / 3 } });
  });
});

describe('Rule: IsPrimaryKey', () => {
  const columns = { acct: 'VARCHAR', day: 'DATE' };

  it('passes when the columns are complete and their combination unique', async () => {
    const result = await evaluate('IsPrimaryKey "acct" "day"', columns, [['1', '2024-01-01'], ['1', '2024-01-02'], ['2', '2024-01-01']]);

    expect(result).toMatchObject({ Result: 'PASS', EvaluatedMetrics: { 'Column.acct.Completeness': 1, 'Column.day.Completeness': 1, 'Multicolumn.acct,day.Uniqueness': 1 } });
  });

  it('fails on a NULL in a key column, naming each metric that falls short', async () => {
    const result = await evaluate('IsPrimaryKey "acct" "day"', columns, [['1', '2024-01-01'], ['1', null], ['2', '2024-01-01'], ['3', '2024-01-01']]);

    // 3 of 4 days present; the row with a NULL day is not a unique key, the other 3 are.
    expect(result).toMatchObject({ Result: 'FAIL', EvaluatedMetrics: { 'Column.acct.Completeness': 1, 'Column.day.Completeness': 3 / 4, 'Multicolumn.acct,day.Uniqueness': 3 / 4 } });
    expect(result.EvaluationMessage).toBe('Column.day.Completeness: 0.75 does not meet the constraint requirement! Multicolumn.acct,day.Uniqueness: 0.75 does not meet the constraint requirement!');
  });
});

describe('Rule: IsPrimaryKey, with a key the writing step makes unique by construction', () => {
  const columns = { acct: 'VARCHAR', day: 'DATE' };
  const guarantee = { columns: ['day', 'acct'], evidence: 'the test step rejects repeated keys' };
  const duplicated = [['1', '2024-01-01'], ['1', '2024-01-01'], ['2', '2024-01-01']];

  async function withGuarantee(rule: string, rows: (string | null)[][], guarantees = [guarantee]): Promise<DqRuleResult> {
    await typedView(engine, 'dq_target', columns, rows);
    const [result] = await evaluateDqdl(`Rules = [ ${rule} ]`, { engine, uniqueByConstruction: guarantees });
    if (!result) throw new Error('no result');
    return result;
  }

  it('reports the metrics a measurement gives on unique keys, and says uniqueness came from the guarantee', async () => {
    const rows = [['1', '2024-01-01'], ['1', '2024-01-02'], ['2', '2024-01-01']];
    const measured = await evaluate('IsPrimaryKey "acct" "day"', columns, rows);

    const result = await withGuarantee('IsPrimaryKey "acct" "day"', rows);

    expect(result).toMatchObject({ Result: 'PASS', EvaluatedMetrics: measured.EvaluatedMetrics });
    expect(result.EvaluationMessage).toBe('uniqueness by construction, not measured locally: the test step rejects repeated keys');
  });

  it('still measures completeness: a NULL key fails, with the evidence beside the failure', async () => {
    const result = await withGuarantee('IsPrimaryKey "acct" "day"', [['1', '2024-01-01'], ['1', null], ['2', '2024-01-01'], ['3', '2024-01-01']]);

    expect(result).toMatchObject({ Result: 'FAIL', EvaluatedMetrics: { 'Column.acct.Completeness': 1, 'Column.day.Completeness': 3 / 4, 'Multicolumn.acct,day.Uniqueness': 3 / 4 } });
    expect(result.EvaluationMessage).toMatch(/^Column\.day\.Completeness: 0\.75 does not meet .*; uniqueness by construction, not measured locally: the test step rejects repeated keys$/);
  });

  it('does not group the keys: repeated keys pass with the guarantee, and fail without it', async () => {
    expect(await withGuarantee('IsPrimaryKey "acct" "day"', duplicated)).toMatchObject({ Result: 'PASS' });
    expect(await evaluate('IsPrimaryKey "acct" "day"', columns, duplicated)).toMatchObject({ Result: 'FAIL', EvaluatedMetrics: { 'Multicolumn.acct,day.Uniqueness': 1 / 3 } });
  });

  it('measures a key the guarantee does not name exactly, a rule with a where clause, and other uniqueness rules', async () => {
    const [subset, filtered, isUnique] = [
      await withGuarantee('IsPrimaryKey "acct" "day"', duplicated, [{ columns: ['acct'], evidence: 'only acct' }]),
      await withGuarantee('IsPrimaryKey "acct" "day" where "acct IS NOT NULL"', duplicated),
      await withGuarantee('IsUnique "acct"', duplicated, [{ columns: ['acct'], evidence: 'only acct' }]),
    ];

    for (const result of [subset, filtered, isUnique]) {
      expect(result.Result).toBe('FAIL');
      expect(result.EvaluationMessage).not.toContain('by construction');
    }
  });

  it('keeps the evidence of a guaranteed part of a composite rule', async () => {
    const result = await withGuarantee('(IsPrimaryKey "acct" "day") and (RowCount > 0)', [['1', '2024-01-01'], ['2', '2024-01-01']]);

    expect(result).toMatchObject({ Result: 'PASS', EvaluationMessage: '(IsPrimaryKey "acct" "day") uniqueness by construction, not measured locally: the test step rejects repeated keys' });
  });
});

describe('Rule: DistinctValuesCount', () => {
  const rule = 'DistinctValuesCount "c" >= 3';

  it('passes when enough distinct non-NULL values occur', async () => {
    expect(await evaluate(rule, { c: 'VARCHAR' }, column(['a', 'b', 'c', 'a', null]))).toMatchObject({ Result: 'PASS', EvaluatedMetrics: { 'Column.c.DistinctValuesCount': 3 } });
  });

  it('fails when too few do', async () => {
    expect(await evaluate(rule, { c: 'VARCHAR' }, column(['a', 'a', 'b']))).toMatchObject({ Result: 'FAIL', EvaluatedMetrics: { 'Column.c.DistinctValuesCount': 2 } });
  });
});

describe('Rule: UniqueValueRatio', () => {
  const rule = 'UniqueValueRatio "c" > 0.5';

  it('passes when most distinct values occur once', async () => {
    // a and b occur once, c twice: 2 of 3 distinct values.
    expect(await evaluate(rule, { c: 'VARCHAR' }, column(['a', 'b', 'c', 'c']))).toMatchObject({ Result: 'PASS', EvaluatedMetrics: { 'Column.c.UniqueValueRatio': 2 / 3 } });
  });

  it('fails when most repeat', async () => {
    expect(await evaluate(rule, { c: 'VARCHAR' }, column(['a', 'a', 'b', 'b', 'c']))).toMatchObject({ Result: 'FAIL', EvaluatedMetrics: { 'Column.c.UniqueValueRatio': 1 / 3 } });
  });
});

describe('Rule: Entropy', () => {
  const rule = 'Entropy "c" > 1';

  it('passes when the values are spread enough (natural log)', async () => {
    const result = await evaluate(rule, { c: 'VARCHAR' }, column(['a', 'a', 'b', 'c', null]));

    expect(result.Result).toBe('PASS');
    expect(result.EvaluatedMetrics['Column.c.Entropy']).toBeCloseTo(entropy([2, 1, 1]), 12);
  });

  it('fails when one value dominates', async () => {
    const result = await evaluate(rule, { c: 'VARCHAR' }, column(['a', 'a', 'a', 'b']));

    expect(result.Result).toBe('FAIL');
    expect(result.EvaluatedMetrics['Column.c.Entropy']).toBeCloseTo(entropy([3, 1]), 12);
  });
});

describe('Rule: Mean', () => {
  const rule = 'Mean "x" between 4 and 6';

  it('passes when the mean meets the condition', async () => {
    expect(await evaluate(rule, { x: 'DECIMAL(10,2)' }, column(['2', '4', '4', '4', '5', '5', '7', '9']))).toMatchObject({ Result: 'PASS', EvaluatedMetrics: { 'Column.x.Mean': 40 / 8 } });
  });

  it('fails when it does not', async () => {
    expect(await evaluate(rule, { x: 'DECIMAL(10,2)' }, column(['1', '2', '3', null]))).toMatchObject({ Result: 'FAIL', EvaluatedMetrics: { 'Column.x.Mean': 6 / 3 } });
  });
});

describe('Rule: Sum', () => {
  const rule = 'Sum "amount" > 10';

  it('passes when the sum meets the condition', async () => {
    expect(await evaluate(rule, { amount: 'DECIMAL(14,2)' }, column(['2.50', '4.25', '5.00']))).toMatchObject({ Result: 'PASS', EvaluatedMetrics: { 'Column.amount.Sum': 2.5 + 4.25 + 5 } });
  });

  it('fails when it does not', async () => {
    expect(await evaluate(rule, { amount: 'DECIMAL(14,2)' }, column(['1.00', '-2.00']))).toMatchObject({ Result: 'FAIL', EvaluatedMetrics: { 'Column.amount.Sum': -1 } });
  });
});

describe('Rule: StandardDeviation', () => {
  const rule = 'StandardDeviation "x" < 2.5';

  it('passes when the (population) standard deviation meets the condition', async () => {
    const values = [2, 4, 4, 4, 5, 5, 7, 9];
    const result = await evaluate(rule, { x: 'INTEGER' }, column(values.map(String)));

    expect(result.Result).toBe('PASS');
    expect(result.EvaluatedMetrics['Column.x.StandardDeviation']).toBeCloseTo(populationStdDev(values), 12);
  });

  it('fails when the values spread more', async () => {
    const result = await evaluate(rule, { x: 'INTEGER' }, column(['0', '10']));

    expect(result.Result).toBe('FAIL');
    expect(result.EvaluatedMetrics['Column.x.StandardDeviation']).toBeCloseTo(populationStdDev([0, 10]), 12);
  });
});
