import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDbSqlEngine } from '@cur/adapters-local';
import { evaluateDqdl, type DqRuleResult, type EvaluateRulesetOptions } from '../../../src/index';
import { column, openEngine, typedView } from '../../helpers/duckdb-table';

let engine: DuckDbSqlEngine;
beforeAll(async () => {
  engine = await openEngine();
});
afterAll(() => engine.close());

/** A fixed clock: 2026-11-25 10:30:00 UTC. Shifted now() is taken at the hour, as Glue does. */
const NOW = new Date('2026-11-25T10:30:00Z');

async function evaluate(rule: string, columns: Record<string, string>, rows: (string | null)[][], options: Partial<EvaluateRulesetOptions> = {}): Promise<DqRuleResult> {
  await typedView(engine, 'dq_target', columns, rows);
  const [result] = await evaluateDqdl(`Rules = [ ${rule} ]`, { engine, now: NOW, ...options });
  if (!result) throw new Error('no result');
  return result;
}

const compliance = (result: DqRuleResult, columnName: string): number | undefined => result.EvaluatedMetrics[`Column.${columnName}.ColumnValues.Compliance`];

describe('Rule: ColumnValues', () => {
  describe('sets', () => {
    const rule = 'ColumnValues "gender" in ["F", "M"]';

    it('passes when every value is in the set', async () => {
      const result = await evaluate(rule, { gender: 'VARCHAR' }, column(['F', 'M', 'F']));

      expect(result).toMatchObject({ Result: 'PASS', EvaluatedMetrics: { 'Column.gender.ColumnValues.Compliance': 1 } });
    });

    it('fails when a value is not, counting a NULL as failing, and says how many rows', async () => {
      const result = await evaluate(rule, { gender: 'VARCHAR' }, column(['F', 'X', null]));

      expect(result).toMatchObject({ Result: 'FAIL', EvaluatedMetrics: { 'Column.gender.ColumnValues.Compliance': 1 / 3 } });
      expect(result.EvaluationMessage).toBe('Value: 0.33333333 does not meet the constraint requirement! 2 of 3 rows do not satisfy the condition.');
    });

    it('lets NULL, EMPTY and WHITESPACES_ONLY in only when the set names them', async () => {
      const rows = column(['US', null, '', '   ']);

      expect(compliance(await evaluate('ColumnValues "c" in ["US", NULL, EMPTY, WHITESPACES_ONLY]', { c: 'VARCHAR' }, rows), 'c')).toBe(1);
      expect(compliance(await evaluate('ColumnValues "c" in ["US", EMPTY]', { c: 'VARCHAR' }, rows), 'c')).toBe(2 / 4);
    });

    it('passes NULL rows for not in, unless the list names NULL', async () => {
      const rows = column(['21', null, '30']);

      expect(compliance(await evaluate('ColumnValues "age" not in [21, 22]', { age: 'INTEGER' }, rows), 'age')).toBe(2 / 3);
      expect(compliance(await evaluate('ColumnValues "age" not in [22, NULL]', { age: 'INTEGER' }, rows), 'age')).toBe(2 / 3);
    });

    it('meets a with threshold on the share of rows', async () => {
      const rows = column(['F', 'M', 'X']);

      expect((await evaluate('ColumnValues "g" in ["F", "M"] with threshold >= 0.6', { g: 'VARCHAR' }, rows)).Result).toBe('PASS');
      expect((await evaluate('ColumnValues "g" in ["F", "M"] with threshold > 0.7', { g: 'VARCHAR' }, rows)).Result).toBe('FAIL');
    });

    it('looks only at the rows of its where clause', async () => {
      const rows = [['F', '5'], ['X', '40']];

      expect(await evaluate('ColumnValues "g" in ["F"] where "age < 10"', { g: 'VARCHAR', age: 'INTEGER' }, rows)).toMatchObject({ Result: 'PASS', EvaluatedMetrics: { 'Column.g.ColumnValues.Compliance': 1 } });
    });
  });

  describe('ranges', () => {
    const rule = 'ColumnValues "age" between 17 and 66';

    it('passes values strictly between the bounds', async () => {
      expect(await evaluate(rule, { age: 'INTEGER' }, column(['18', '65']))).toMatchObject({ Result: 'PASS', EvaluatedMetrics: { 'Column.age.ColumnValues.Compliance': 1 } });
    });

    it('fails a value on a bound: between excludes both ends in DQDL', async () => {
      expect(await evaluate(rule, { age: 'INTEGER' }, column(['17', '30']))).toMatchObject({ Result: 'FAIL', EvaluatedMetrics: { 'Column.age.ColumnValues.Compliance': 1 / 2 } });
    });

    it.each([
      ['> 1', 2 / 3],
      ['>= 1', 3 / 3],
      ['< 1', 0 / 3],
      ['<= 1', 1 / 3],
      ['= 1', 1 / 3],
      ['!= 1', 2 / 3],
      ['not between 1 and 3', 2 / 3],
    ])('compares numbers with %s', async (condition, share) => {
      expect(compliance(await evaluate(`ColumnValues "n" ${condition}`, { n: 'DOUBLE' }, column(['1', '2', '5'])), 'n')).toBe(share);
    });

    it('reads numbers in a text column', async () => {
      expect(compliance(await evaluate('ColumnValues "n" > 10', { n: 'VARCHAR' }, column(['11', '9', 'x'])), 'n')).toBe(1 / 3);
    });
  });

  describe('regular expressions', () => {
    const rule = 'ColumnValues "mobile" matches "09[0-9]{8}"';

    it('passes values the pattern matches in full', async () => {
      expect(await evaluate(rule, { mobile: 'VARCHAR' }, column(['0912345678', '0987654321']))).toMatchObject({ Result: 'PASS' });
    });

    it('fails values it matches only in part, and NULLs', async () => {
      expect(await evaluate(rule, { mobile: 'VARCHAR' }, column(['0912345678', '0912345678x', null, '0912']))).toMatchObject({ Result: 'FAIL', EvaluatedMetrics: { 'Column.mobile.ColumnValues.Compliance': 1 / 4 } });
    });

    it('negates with not matches', async () => {
      expect(compliance(await evaluate('ColumnValues "c" not matches "[a-z]+"', { c: 'VARCHAR' }, column(['abc', 'ABC'])), 'c')).toBe(1 / 2);
    });
  });

  describe('dates', () => {
    it('compares with a date literal at midnight', async () => {
      const rows = column(['2024-01-01', '2024-01-02', '2023-12-31']);

      expect(compliance(await evaluate('ColumnValues "d" > "2024-01-01"', { d: 'DATE' }, rows), 'd')).toBe(1 / 3);
      expect(compliance(await evaluate('ColumnValues "d" >= "2024-01-01"', { d: 'DATE' }, rows), 'd')).toBe(2 / 3);
    });

    it('passes timestamps after (now() - 3 days), taken at the start of the hour', async () => {
      // now() is 2026-11-25 10:30, so the cut-off is 2026-11-22 10:00.
      const result = await evaluate('ColumnValues "t" > (now() - 3 days)', { t: 'TIMESTAMP' }, column(['2026-11-22 10:00:01', '2026-11-25 09:00:00']));

      expect(result).toMatchObject({ Result: 'PASS' });
    });

    it('fails one at or before the cut-off', async () => {
      const result = await evaluate('ColumnValues "t" > (now() - 3 days)', { t: 'TIMESTAMP' }, column(['2026-11-22 10:00:00', '2026-11-25 09:00:00']));

      expect(result).toMatchObject({ Result: 'FAIL', EvaluatedMetrics: { 'Column.t.ColumnValues.Compliance': 1 / 2 } });
    });

    it('reads now() in the dataset\'s time zone', async () => {
      // 10:30 UTC is 18:30 in Taipei: a value at 12:00 on the day is before Taipei's now(), after UTC's.
      const rows = column(['2026-11-25 12:00:00']);

      expect((await evaluate('ColumnValues "t" < now()', { t: 'TIMESTAMP' }, rows, { timeZone: 'Asia/Taipei' })).Result).toBe('PASS');
      expect((await evaluate('ColumnValues "t" < now()', { t: 'TIMESTAMP' }, rows)).Result).toBe('FAIL');
    });
  });

  describe('NULL, EMPTY and !=', () => {
    const rows = column(['a', null, '']);

    it.each([
      ['= NULL', 1 / 3],
      ['!= NULL', 2 / 3],
      ['= EMPTY', 1 / 3],
      ['!= EMPTY', 2 / 3],
      ['!= "a"', 2 / 3],
      ['= "a"', 1 / 3],
    ])('%s', async (condition, share) => {
      expect(compliance(await evaluate(`ColumnValues "c" ${condition}`, { c: 'VARCHAR' }, rows), 'c')).toBe(share);
    });
  });
});

describe('Rule: ColumnLength', () => {
  const rule = 'ColumnLength "postal" = 5';

  it('passes when every value has the length', async () => {
    const result = await evaluate(rule, { postal: 'VARCHAR' }, column(['12345', '54321']));

    expect(result).toMatchObject({ Result: 'PASS', EvaluatedMetrics: { 'Column.postal.ColumnLength.Compliance': 1, 'Column.postal.MinimumLength': 5, 'Column.postal.MaximumLength': 5 } });
  });

  it('fails when one does not, counting NULL as failing', async () => {
    const result = await evaluate(rule, { postal: 'VARCHAR' }, column(['1234', '12345', null]));

    expect(result).toMatchObject({ Result: 'FAIL', EvaluatedMetrics: { 'Column.postal.ColumnLength.Compliance': 1 / 3, 'Column.postal.MinimumLength': 4, 'Column.postal.MaximumLength': 5 } });
  });
});

describe('Rule: ColumnDataType', () => {
  it('passes a text column whose every value reads as the type', async () => {
    expect(await evaluate('ColumnDataType "n" = "Integer"', { n: 'VARCHAR' }, column(['1', '22', null]))).toMatchObject({ Result: 'PASS', EvaluatedMetrics: { 'Column.n.ColumnDataType.Compliance': 1 } });
  });

  it('fails one where a value does not, measuring over the non-NULL values', async () => {
    expect(await evaluate('ColumnDataType "n" = "Integer"', { n: 'VARCHAR' }, column(['1', 'x2', '3', null]))).toMatchObject({ Result: 'FAIL', EvaluatedMetrics: { 'Column.n.ColumnDataType.Compliance': 2 / 3 } });
  });

  it('meets a with threshold, and accepts any of a list of types', async () => {
    const rows = column(['1', 'x2', '2024-01-01']);

    expect((await evaluate('ColumnDataType "n" = "Integer" with threshold > 0.3', { n: 'VARCHAR' }, rows)).Result).toBe('PASS');
    expect(await evaluate('ColumnDataType "n" in ["Integer", "Date"]', { n: 'VARCHAR' }, rows)).toMatchObject({ Result: 'FAIL', EvaluatedMetrics: { 'Column.n.ColumnDataType.Compliance': 2 / 3 } });
  });

  it('checks a typed column by its declared type', async () => {
    expect((await evaluate('ColumnDataType "n" = "integer"', { n: 'INTEGER' }, column(['1']))).Result).toBe('PASS');
    expect(await evaluate('ColumnDataType "n" = "Date"', { n: 'INTEGER' }, column(['1']))).toMatchObject({ Result: 'FAIL', EvaluatedMetrics: { 'Column.n.ColumnDataType.Compliance': 0 } });
  });

  it('reports a type name it does not know as an error', async () => {
    expect(await evaluate('ColumnDataType "n" = "Money"', { n: 'VARCHAR' }, column(['1']))).toMatchObject({ Result: 'ERROR', EvaluationMessage: expect.stringContaining('does not know the type "Money"') });
  });
});

describe('Rule: DataFreshness', () => {
  const rule = 'DataFreshness "t" <= 24 hours';

  it('passes when every timestamp is at most that old', async () => {
    expect(await evaluate(rule, { t: 'TIMESTAMP' }, column(['2026-11-24 10:30:00', '2026-11-25 10:00:00']))).toMatchObject({ Result: 'PASS', EvaluatedMetrics: { 'Column.t.DataFreshness.Compliance': 1 } });
  });

  it('fails when one is older, or NULL', async () => {
    const result = await evaluate(rule, { t: 'TIMESTAMP' }, column(['2026-11-24 10:29:59', '2026-11-25 10:00:00', null, '2026-11-25 00:00:00']));

    expect(result).toMatchObject({ Result: 'FAIL', EvaluatedMetrics: { 'Column.t.DataFreshness.Compliance': 2 / 4 } });
  });

  it('takes days and between', async () => {
    const rows = column(['2026-11-22 10:30:00', '2026-11-25 10:30:00']);

    expect(await evaluate('DataFreshness "t" between 2 days and 5 days', { t: 'TIMESTAMP' }, rows)).toMatchObject({ Result: 'FAIL', EvaluatedMetrics: { 'Column.t.DataFreshness.Compliance': 1 / 2 } });
  });
});
