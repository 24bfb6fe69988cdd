import { describe, expect, it } from 'vitest';
import { DqdlSyntaxError, parseDqdl, parseDqdlRule, referencedDatasets, type DqRule, type RuleExpression } from '../../../src/index';

/** The single rule of a one-rule text. */
function rule(text: string): DqRule {
  const { expression } = parseDqdlRule(text);
  if (expression.kind !== 'rule') throw new Error('expected a single rule');
  return expression;
}

/** The syntax error a text raises. */
function syntaxError(source: string): DqdlSyntaxError {
  try {
    parseDqdl(source);
  } catch (error) {
    if (error instanceof DqdlSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected a syntax error for: ${source}`);
}

describe('Function: parseDqdl', () => {
  describe('rules and their parts', () => {
    it('parses a ruleset of simple rules with the rule text, type, parameters and position', () => {
      // Act
      const ruleset = parseDqdl('Rules = [ IsComplete "order-id", RowCount > 100 ]');

      // Assess
      expect(ruleset.rules.map((entry) => entry.text)).toEqual(['IsComplete "order-id"', 'RowCount > 100']);
      expect(ruleset.rules[0]?.expression).toEqual({
        kind: 'rule',
        ruleType: 'IsComplete',
        parameters: [{ value: 'order-id', quoted: true }],
        text: 'IsComplete "order-id"',
        position: { line: 1, column: 11, offset: 10 },
      });
      expect(rule('RowCount > 100').condition).toEqual({ kind: 'comparison', operator: '>', operand: { kind: 'number', value: 100 } });
    });

    it.each([
      ['Mean "a" > 1', { kind: 'comparison', operator: '>', operand: { kind: 'number', value: 1 } }],
      ['Mean "a" >= -1.5', { kind: 'comparison', operator: '>=', operand: { kind: 'number', value: -1.5 } }],
      ['Mean "a" < 1', { kind: 'comparison', operator: '<', operand: { kind: 'number', value: 1 } }],
      ['Mean "a" <= 1', { kind: 'comparison', operator: '<=', operand: { kind: 'number', value: 1 } }],
      ['Mean "a" = 1', { kind: 'comparison', operator: '=', operand: { kind: 'number', value: 1 } }],
      ['Mean "a" != 1', { kind: 'comparison', operator: '!=', operand: { kind: 'number', value: 1 } }],
      ['Mean "a" between 1 and 2', { kind: 'between', negated: false, lower: { kind: 'number', value: 1 }, upper: { kind: 'number', value: 2 } }],
      ['Mean "a" not between 1 and 2', { kind: 'between', negated: true, lower: { kind: 'number', value: 1 }, upper: { kind: 'number', value: 2 } }],
      ['Mean "a" in [1, 2]', { kind: 'in', negated: false, values: [{ kind: 'number', value: 1 }, { kind: 'number', value: 2 }] }],
      ['ColumnValues "a" not in ["x", NULL, EMPTY]', { kind: 'in', negated: true, values: [{ kind: 'string', value: 'x' }, { kind: 'keyword', keyword: 'NULL' }, { kind: 'keyword', keyword: 'EMPTY' }] }],
      ['ColumnValues "a" matches "[0-9]+"', { kind: 'matches', negated: false, pattern: '[0-9]+' }],
      ['ColumnValues "a" not matches "[0-9]+"', { kind: 'matches', negated: true, pattern: '[0-9]+' }],
      ['ColumnValues "a" = whitespaces_only', { kind: 'comparison', operator: '=', operand: { kind: 'keyword', keyword: 'WHITESPACES_ONLY' } }],
      ['ColumnValues "d" > "2024-01-31"', { kind: 'comparison', operator: '>', operand: { kind: 'date', value: '2024-01-31' } }],
      ['ColumnValues "d" <= now()', { kind: 'comparison', operator: '<=', operand: { kind: 'now' } }],
      [
        'ColumnValues "d" > (now() - 3 days)',
        { kind: 'comparison', operator: '>', operand: { kind: 'now', shift: { operator: '-', duration: { kind: 'duration', amount: 3, unit: 'days' } } } },
      ],
      [
        'ColumnValues "d" between (now() - 7 days) and (now() + 2 hours)',
        {
          kind: 'between',
          negated: false,
          lower: { kind: 'now', shift: { operator: '-', duration: { kind: 'duration', amount: 7, unit: 'days' } } },
          upper: { kind: 'now', shift: { operator: '+', duration: { kind: 'duration', amount: 2, unit: 'hours' } } },
        },
      ],
      ['DataFreshness "t" <= 24 hours', { kind: 'comparison', operator: '<=', operand: { kind: 'duration', amount: 24, unit: 'hours' } }],
      ['FileSize < 5 MB', { kind: 'comparison', operator: '<', operand: { kind: 'size', amount: 5, unit: 'MB' } }],
      ['ColumnDataType "a" in ["Date", "String"]', { kind: 'in', negated: false, values: [{ kind: 'string', value: 'Date' }, { kind: 'string', value: 'String' }] }],
    ])('parses the condition of %s', (text, condition) => {
      expect(rule(text).condition).toEqual(condition);
    });

    it('parses dynamic numbers as calls and arithmetic, with the usual precedence', () => {
      expect(rule('RowCount > 0.9 * avg(last(10)) + 1').condition).toEqual({
        kind: 'comparison',
        operator: '>',
        operand: {
          kind: 'binary',
          operator: '+',
          left: { kind: 'binary', operator: '*', left: { kind: 'number', value: 0.9 }, right: { kind: 'call', name: 'avg', args: [{ kind: 'call', name: 'last', args: [{ kind: 'number', value: 10 }] }] } },
          right: { kind: 'number', value: 1 },
        },
      });
    });

    it('parses where and with threshold in either order', () => {
      const a = rule('ColumnValues "g" in ["F", "M"] where "age > 18" with threshold > 0.9');
      const b = rule('ColumnValues "g" in ["F", "M"] with threshold > 0.9 where "age > 18"');

      for (const parsed of [a, b]) {
        expect(parsed.where).toBe('age > 18');
        expect(parsed.threshold).toEqual({ kind: 'comparison', operator: '>', operand: { kind: 'number', value: 0.9 } });
      }
    });

    it('reads bare parameters and the connector words of and of', () => {
      expect(rule('ColumnCorrelation of col_1 and "col abc" between 0.4 and 0.8').parameters).toEqual([
        { value: 'col_1', quoted: false, connector: 'of' },
        { value: 'col abc', quoted: true, connector: 'and' },
      ]);
    });

    it('keeps the rule text with whitespace runs and comments collapsed to one space', () => {
      const ruleset = parseDqdl('Rules = [\n  ColumnValues   "a"  # the column\n    in ["x",\n "y"]\n]');

      expect(ruleset.rules[0]?.text).toBe('ColumnValues "a" in ["x", "y"]');
    });
  });

  describe('composite rules', () => {
    const shape = (expression: RuleExpression): unknown => (expression.kind === 'rule' ? expression.ruleType : { [expression.operator]: expression.rules.map(shape) });

    it.each([
      ['(IsComplete "id") and (IsUnique "id")', { and: ['IsComplete', 'IsUnique'] }],
      ['(Mean "a" > 3) and (Mean "b" > 500) and (IsComplete "c")', { and: ['Mean', 'Mean', 'IsComplete'] }],
      ['(Mean "a" > 3) AND ((Mean "b" > 500) OR (IsComplete "c"))', { and: ['Mean', { or: ['Mean', 'IsComplete'] }] }],
      ['(RowCount > 0) or ((IsComplete "a") and (IsUnique "a"))', { or: ['RowCount', { and: ['IsComplete', 'IsUnique'] }] }],
      ['(IsComplete "id")', 'IsComplete'],
    ])('parses %s', (text, expected) => {
      expect(shape(parseDqdlRule(text).expression)).toEqual(expected);
    });

    it('gives the composite and each part its own text', () => {
      const { expression, text } = parseDqdlRule('(IsComplete "id")  and (IsUnique "id")');

      expect(text).toBe('(IsComplete "id") and (IsUnique "id")');
      expect(expression.kind === 'composite' && expression.rules.map((part) => part.text)).toEqual(['IsComplete "id"', 'IsUnique "id"']);
    });
  });

  describe('labels, variables and sections', () => {
    it('overlays a rule\'s labels on the default labels', () => {
      const ruleset = parseDqdl('DefaultLabels = ["team"="data", "severity"="blocking"]\nRules = [ IsComplete "a", IsUnique "a" labels=["severity"="warning"] ]');

      expect(ruleset.defaultLabels).toEqual({ team: 'data', severity: 'blocking' });
      expect(ruleset.rules.map((entry) => entry.labels)).toEqual([
        { team: 'data', severity: 'blocking' },
        { team: 'data', severity: 'warning' },
      ]);
      expect(ruleset.rules[1]?.ruleLabels).toEqual({ severity: 'warning' });
      expect(ruleset.rules[1]?.text).toBe('IsUnique "a"');
    });

    it('labels a composite rule as a whole', () => {
      expect(parseDqdlRule('(IsComplete "a") or (RowCount = 0) labels=["severity"="warning"]').labels).toEqual({ severity: 'warning' });
    });

    it('resolves variables declared before the rules, keeping their names', () => {
      const ruleset = parseDqdl('locations = ["YYZ14", "b"]\nlimit = 10\nRules = [ ColumnValues "loc" in $locations, RowCount > $limit ]');

      expect(ruleset.variables).toEqual({ locations: [{ kind: 'string', value: 'YYZ14' }, { kind: 'string', value: 'b' }], limit: { kind: 'number', value: 10 } });
      const [first, second] = ruleset.rules.map((entry) => entry.expression);
      expect(first?.kind === 'rule' && first.condition).toEqual({ kind: 'in', negated: false, values: [{ kind: 'string', value: 'YYZ14' }, { kind: 'string', value: 'b' }], variable: 'locations' });
      expect(second?.kind === 'rule' && second.condition).toEqual({ kind: 'comparison', operator: '>', operand: { kind: 'number', value: 10 }, variable: 'limit' });
    });

    it('reads Metadata, DataSources and Analyzers', () => {
      const ruleset = parseDqdl(
        'Metadata = { "Version": "1.0" }\nDataSources = { "Primary": "orders", "AdditionalDataSources": [ "ref" ] }\nRules = [ IsPrimaryKey "a" ]\nAnalyzers = [ Completeness "a", AllStatistics of AllColumns ]',
      );

      expect(ruleset.metadata).toEqual({ Version: '1.0' });
      expect(ruleset.dataSources).toEqual({ Primary: 'orders', AdditionalDataSources: ['ref'] });
      expect(ruleset.analyzers.map((analyzer) => [analyzer.analyzerType, analyzer.text])).toEqual([
        ['Completeness', 'Completeness "a"'],
        ['AllStatistics', 'AllStatistics of AllColumns'],
      ]);
    });

    it('accepts a document of analyzers only', () => {
      expect(parseDqdl('Analyzers = [ RowCount ]').rules).toEqual([]);
    });
  });

  describe('errors', () => {
    it('points at the line and column of the offending token', () => {
      const error = syntaxError('Rules = [\n  RowCount > 0,\n  Completeness "email" > ,\n]');

      expect(error).toMatchObject({ code: 'DQDL_SYNTAX', name: 'DqdlSyntaxError', line: 3, column: 26 });
      expect(error.message).toBe("line 3, column 26: expected a number after '>', found ','");
    });

    // Invalid rulesets of github:awslabs/dqdl InvalidDQRulesetTest.java (Apache-2.0), plus our own.
    it.each([
      ['Rules = {', 1, 9, "expected '['"],
      ['Rules = [ ]', 1, 11, 'at least one rule'],
      ['Rules = [', 1, 10, 'expected a rule'],
      ['Rules = Abcdefg123', 1, 9, "expected '['"],
      ['Rules11 = [ ColumnValues "load_dt" > (now() - 1) ]', 1, 13, 'expected a value'],
      ['Rules = [ 11ColumnValues "load_dt" > (now() - 1) ]', 1, 11, "unknown rule type '11ColumnValues'"],
      ['Rules = [ ColumnValues "load_dt" "load_dt_2" > (now() - 1) ]', 1, 34, 'ColumnValues takes 1 parameter, found 2'],
      ['Rules = [ Completeness "col-A" ]', 1, 32, 'Completeness needs a condition'],
      ['Rules = [ ColumnNamesMatchPattern aws_* ]', 1, 39, "expected ',' or ']'"],
      ['Rules = [ IsComplete "col-A" > 0.05 ]', 1, 30, 'IsComplete takes no condition'],
      ['Rules = [ IsPrimaryKey "col-A" between 1 and 2 ]', 1, 32, 'IsPrimaryKey takes no condition'],
      ['Rules = [ ColumnDataType "col-A" with threshold > 0.7 ]', 1, 34, 'ColumnDataType needs a condition'],
      ['Rules = [ ColumnValues "col-A" matches ]', 1, 40, 'expected a quoted regular expression'],
      ['Rules = [ ColumnValues "col-A" now() ]', 1, 32, 'ColumnValues needs a condition'],
      ['Rules = [ ColumnValues "col-A" > now() + 1 hours ]', 1, 40, 'date arithmetic must be in parentheses'],
      ['Rules = [ ColumnValues "col-A" = (now() - 3 weeks) ]', 1, 45, "expected a duration unit ('days' or 'hours') after '3', found 'weeks'"],
      ['Rules = [ Completeness "col-A" > 0.4 with threshold > 0.4]', 1, 38, "Completeness does not take 'with threshold'"],
      ['Rules = [ ColumnValues "col-A" > 0.4 with]', 1, 42, "expected 'threshold'"],
      ['Rules = [ ColumnValues "col-A" > 0.4 with threshold]', 1, 52, "expected a condition after 'with threshold'"],
      ['Rules = [ ColumnValues "col-A" in [1,"2"] ]', 1, 38, 'a list must hold values of one kind'],
      ['Rules = [ DataFreshness "col-A" between 2 and 4 days ]', 1, 43, 'expected a duration unit'],
      ['Rules = [ ReferentialIntegrity "col-A" = 0.99 ]', 1, 11, 'ReferentialIntegrity takes 2 parameters, found 1'],
      ['Rules = [ DatasetMatch "reference" "ID" "colA" > 0.9 with threshold > 0.9]', 1, 54, "DatasetMatch does not take 'with threshold'"],
      ['Rules = [ SchemaMatch with threshold between 0.2 and 0.4 ]', 1, 11, 'SchemaMatch takes 1 parameter, found 0'],
      ['Rules = [ RowCountMatch "reference-1" > 0.1 with threshold > 0.1 ]', 1, 45, "RowCountMatch does not take 'with threshold'"],
      ['Rules = [ DetectAnomalies ]', 1, 11, 'at least 1 parameter'],
      ['Rules = [ AllStatistics "id" ]', 1, 11, 'AllStatistics is an analyzer'],
      ['Rules = [ IsComplete "a" and IsUnique "a" ]', 1, 30, 'must each be in parentheses'],
      ['Rules = [ (IsComplete "a") and (IsUnique "a") or (RowCount > 1) ]', 1, 47, "'and' and 'or' cannot be mixed"],
      ['Rules = [ isComplete "a" ]', 1, 11, "write 'IsComplete'"],
      ['rules = [ IsComplete "a" ]', 1, 1, "write 'Rules'"],
      ['Rules = [ IsComplete "a" labels=["k"="v", "k"="w"] ]', 1, 43, 'duplicate label key'],
      ['Rules = [ IsComplete "a" labels=["k"=""] ]', 1, 34, 'cannot be empty'],
      ['Rules = [ ColumnValues "a" in $nope ]', 1, 31, 'variable $nope is not declared'],
      ['Rules = [ IsComplete "a", ]', 1, 27, 'expected a rule'],
      ['Rules = [ IsComplete "a" IsUnique "b" ]', 1, 26, "expected ',' before the next rule"],
      ['Rules = [ RowCount > 0 ]\nRules = [ RowCount > 1 ]', 2, 1, 'declared twice'],
      ['Metadata = { "Version": "1.0" }', 1, 32, "expected 'Rules = [ ... ]'"],
      ['Rules = [ ColumnValues "a" > NULL ]', 1, 30, "can only be compared with '=' or '!='"],
      ['Rules = [ ColumnValues "a" between NULL and 3 ]', 1, 36, "NULL cannot be a bound of 'between'"],
      ['Rules = [ ColumnValues "a" between 1 and "z" ]', 1, 38, 'bounds of \'between\' must be of one kind'],
      ['Rules = [ Mean "a" matches "x" ]', 1, 20, "'matches' only applies"],
      ['Analyzers = [ IsComplete "a" ]', 1, 15, 'IsComplete cannot be an analyzer'],
      ['Analyzers = [ Completeness "a" > 0.5 ]', 1, 32, 'an analyzer takes no condition'],
    ])('rejects %j at line %i, column %i', (source, line, column, reason) => {
      const error = syntaxError(source);

      expect({ line: error.line, column: error.column }).toEqual({ line, column });
      expect(error.reason).toContain(reason);
    });

    it('allows at most 10 labels on a rule, default labels included', () => {
      const many = Array.from({ length: 6 }, (_, i) => `"k${i}"="v"`).join(', ');
      const more = Array.from({ length: 5 }, (_, i) => `"r${i}"="v"`).join(', ');

      expect(syntaxError(`DefaultLabels = [${many}]\nRules = [ IsComplete "a" labels=[${more}] ]`).reason).toContain('at most 10 labels');
    });
  });
});

describe('Function: parseDqdlRule', () => {
  it('reports positions within the rule itself', () => {
    expect(() => parseDqdlRule('IsComplete "a" > 1')).toThrowError('line 1, column 16: IsComplete takes no condition');
  });

  it('rejects anything after the rule', () => {
    expect(() => parseDqdlRule('IsComplete "a", IsUnique "a"')).toThrowError('line 1, column 15: expected the end of the rule');
  });
});

describe('Function: referencedDatasets', () => {
  it('lists the reference aliases a ruleset reads, once each and sorted', () => {
    const ruleset = parseDqdl(
      'Rules = [ ReferentialIntegrity "a,b" "profile.{x,y}" = 1.0, (RowCountMatch "orders" >= 0.9) and (SchemaMatch "profile" = 1.0), IsComplete "a" ]',
    );

    expect(referencedDatasets(ruleset)).toEqual(['orders', 'profile']);
  });
});
