import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DuckDbSqlEngine } from '@cur/adapters-local';
import { DqOptionsError, DqRuleResultSchema, LOCALLY_SUPPORTED_RULE_TYPES, RULE_TYPE_NAMES, evaluateDqdl, evaluateRuleset, parseDqdl } from '../../../src/index';
import { openEngine, typedView } from '../../helpers/duckdb-table';

let engine: DuckDbSqlEngine;
beforeAll(async () => {
  engine = await openEngine();
});
afterAll(() => engine.close());

const COLUMNS = { id: 'INTEGER', email: 'VARCHAR', amount: 'DECIMAL(10,2)' };

beforeEach(async () => {
  await typedView(engine, 'dq_target', COLUMNS, [
    ['1', 'a@example.com', '10.00'],
    ['2', null, '20.00'],
    ['3', 'c@example.com', '30.00'],
    ['4', 'd@example.com', '40.00'],
  ]);
});

describe('Function: evaluateRuleset', () => {
  it('gives one result per rule in ruleset order, in the shape of Glue\'s DataQualityRuleResult', async () => {
    // Prepare
    const ruleset = parseDqdl('DefaultLabels = ["team"="data"]\ncodes = [1, 2, 3, 4]\nRules = [\n  RowCount > 0 labels=["severity"="blocking"],\n  ColumnValues "id"   in $codes labels=["severity"="warning"]\n]');

    // Act
    const results = await evaluateRuleset(ruleset, { engine });

    // Assess
    expect(results).toEqual([
      { Name: 'Rule_1', Description: 'RowCount > 0', EvaluatedRule: 'RowCount > 0', Result: 'PASS', EvaluatedMetrics: { 'Dataset.*.RowCount': 4 }, Labels: { team: 'data', severity: 'blocking' } },
      {
        Name: 'Rule_2',
        Description: 'ColumnValues "id" in $codes',
        EvaluatedRule: 'ColumnValues "id" in [1, 2, 3, 4]',
        Result: 'PASS',
        EvaluatedMetrics: { 'Column.id.ColumnValues.Compliance': 1 },
        Labels: { team: 'data', severity: 'warning' },
      },
    ]);
    for (const result of results) expect(DqRuleResultSchema.parse(result)).toEqual(result);
  });

  describe('composite rules', () => {
    it('passes an and when every part passes, with the metrics of all parts', async () => {
      const [result] = await evaluateDqdl('Rules = [ (IsComplete "id") and (Sum "amount" = 100) ]', { engine });

      expect(result).toMatchObject({ Result: 'PASS', EvaluatedMetrics: { 'Column.id.Completeness': 1, 'Column.amount.Sum': 100 } });
    });

    it('fails an and when a part fails, saying which', async () => {
      const [result] = await evaluateDqdl('Rules = [ (IsComplete "id") and (IsComplete "email") ]', { engine });

      expect(result).toMatchObject({ Result: 'FAIL', EvaluationMessage: '(IsComplete "email") failed: Value: 0.75 does not meet the constraint requirement!' });
    });

    it('passes an or when one part passes', async () => {
      const [result] = await evaluateDqdl('Rules = [ (IsComplete "email") or (RowCount = 4) ]', { engine });

      expect(result?.Result).toBe('PASS');
    });

    it('nests and combines with the evaluation of each part', async () => {
      const [result] = await evaluateDqdl('Rules = [ (RowCount = 0) or ((IsComplete "id") and (Mean "amount" between 20 and 30)) ]', { engine });

      expect(result).toMatchObject({ Result: 'PASS', EvaluatedMetrics: { 'Dataset.*.RowCount': 4, 'Column.id.Completeness': 1, 'Column.amount.Mean': 25 } });
    });

    it('is an ERROR when a part cannot be evaluated and no other part decides', async () => {
      const [and] = await evaluateDqdl('Rules = [ (IsComplete "id") and (DetectAnomalies "RowCount") ]', { engine });
      const [or] = await evaluateDqdl('Rules = [ (IsComplete "id") or (DetectAnomalies "RowCount") ]', { engine });

      expect(and).toMatchObject({ Result: 'ERROR', EvaluationMessage: '(DetectAnomalies "RowCount") could not be evaluated: rule type DetectAnomalies is not supported locally' });
      expect(or?.Result).toBe('PASS');
    });
  });

  describe('rules it cannot evaluate', () => {
    it.each(RULE_TYPE_NAMES.filter((name) => !(LOCALLY_SUPPORTED_RULE_TYPES as readonly string[]).includes(name) && name !== 'AllStatistics'))(
      'reports %s as not supported locally, never as passed',
      async (ruleType) => {
        const examples: Record<string, string> = {
          AggregateMatch: 'AggregateMatch "sum(amount)" "sum(reference.amount)" > 0.9',
          ColumnCorrelation: 'ColumnCorrelation "id" "amount" > 0.5',
          ColumnNamesMatchPattern: 'ColumnNamesMatchPattern "[a-z_]+"',
          DatasetMatch: 'DatasetMatch "reference" "id->id" > 0.9',
          DetectAnomalies: 'DetectAnomalies "RowCount"',
          FileFreshness: 'FileFreshness "s3://bucket/prefix/" > (now() - 1 days)',
          FileMatch: 'FileMatch "s3://bucket/a" "s3://bucket/b"',
          FileSize: 'FileSize < 5 MB',
          FileUniqueness: 'FileUniqueness "s3://bucket/prefix/" > 0.9',
        };
        const [result] = await evaluateDqdl(`Rules = [ ${examples[ruleType] ?? ruleType} ]`, { engine });

        expect(result).toMatchObject({ Result: 'ERROR', EvaluationMessage: `rule type ${ruleType} is not supported locally`, EvaluatedMetrics: {} });
      },
    );

    it('reports a dynamic rule as not supported locally', async () => {
      const [result] = await evaluateDqdl('Rules = [ RowCount > avg(last(10)) ]', { engine });

      expect(result).toMatchObject({ Result: 'ERROR', EvaluationMessage: 'dynamic rules (avg(...)) need the results of earlier runs and are not supported locally' });
    });

    it('reports a column the dataset lacks as an error, not a failure', async () => {
      const [result] = await evaluateDqdl('Rules = [ IsComplete "nope" ]', { engine });

      expect(result).toMatchObject({ Result: 'ERROR', EvaluationMessage: "column 'nope' does not exist in the dataset" });
    });

    it('reports a where clause the engine cannot run as an error, naming only the kind of error', async () => {
      const [result] = await evaluateDqdl('Rules = [ IsComplete "id" where "no_such_column > 1" ]', { engine });

      expect(result).toMatchObject({ Result: 'ERROR', EvaluationMessage: 'could not evaluate the rule: DuckDB could not run a query (Binder Error)' });
    });

    it('reports a where clause on a rule it means nothing for as an error', async () => {
      const [result] = await evaluateDqdl('Rules = [ ColumnCount = 3 where "id > 1" ]', { engine });

      expect(result).toMatchObject({ Result: 'ERROR', EvaluationMessage: 'a where clause does not apply to ColumnCount' });
    });

    it('fails a rule over no rows, as its metric cannot be computed', async () => {
      const [result] = await evaluateDqdl('Rules = [ Completeness "email" > 0.5 where "id > 100" ]', { engine });

      expect(result).toMatchObject({ Result: 'FAIL', EvaluationMessage: 'Column.email.Completeness could not be computed: there are no rows or no values to evaluate', EvaluatedMetrics: {} });
    });
  });

  it('reads another view when told to', async () => {
    await typedView(engine, 'other_view', { id: 'INTEGER' }, [['1']]);

    const [result] = await evaluateDqdl('Rules = [ RowCount = 1 ]', { engine, view: 'other_view' });

    expect(result?.Result).toBe('PASS');
  });

  it('refuses view names that are not plain identifiers and unknown time zones', async () => {
    const ruleset = parseDqdl('Rules = [ RowCount > 0 ]');

    await expect(evaluateRuleset(ruleset, { engine, view: 'dq_target; drop table x' })).rejects.toThrowError(DqOptionsError);
    await expect(evaluateRuleset(ruleset, { engine, references: { r: 'a-b' } })).rejects.toThrowError(DqOptionsError);
    await expect(evaluateRuleset(ruleset, { engine, timeZone: 'Mars/Olympus' })).rejects.toThrowError(DqOptionsError);
  });

  it('never puts a row value in a message, whatever fails', async () => {
    // Prepare: distinctive values in every column, then rules that fail or error on them.
    const canaries = ['CANARY-A1B2', 'canary.value@example.com', '1234567.89', 'CANARY-TWO'];
    await typedView(engine, 'dq_target', { code: 'VARCHAR', email: 'VARCHAR', amount: 'VARCHAR' }, [
      [canaries[0] ?? '', canaries[1] ?? '', canaries[2] ?? ''],
      [canaries[3] ?? '', null, 'x'],
    ]);
    const rules = [
      'ColumnValues "code" in ["A", "B"]',
      'ColumnValues "code" matches "[0-9]+"',
      'ColumnValues "email" = "nobody@example.com"',
      'ColumnValues "amount" > 5',
      'ColumnLength "code" < 3',
      'ColumnDataType "amount" = "Double"',
      'IsUnique "email"',
      'IsPrimaryKey "email"',
      'Mean "amount" > 10000000',
      'CustomSql "select code from primary limit 1" = 1',
      'CustomSql "select max(code) from primary" > 1',
      'ReferentialIntegrity "code" "reference.{code}" = 1.0',
      'DataFreshness "code" <= 1 hours',
      '(ColumnValues "code" = "x") or (ColumnValues "email" = "y")',
    ];
    await typedView(engine, 'dq_reference', { code: 'VARCHAR' }, [['OTHER']]);

    // Act
    const results = await evaluateDqdl(`Rules = [ ${rules.join(',\n')} ]`, { engine, references: { reference: 'dq_reference' } });

    // Assess
    expect(results.every((result) => result.Result !== 'PASS')).toBe(true);
    const written = JSON.stringify(results.map((result) => ({ message: result.EvaluationMessage, metrics: Object.keys(result.EvaluatedMetrics) })));
    expect(canaries.filter((canary) => written.includes(canary))).toEqual([]);
  });
});
