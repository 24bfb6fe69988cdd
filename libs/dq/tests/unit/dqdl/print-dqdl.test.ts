import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RESERVED_FOR_TESTS } from '../../helpers/reserved-words';
import { withoutLocations } from '../../helpers/without-locations';
import {
  isRuleTypeName,
  parseDqdl,
  parseDqdlRule,
  printDqdl,
  printRuleExpression,
  printRulesetRule,
  type Condition,
  type NumberExpression,
  type Operand,
  type RuleExpression,
  type RuleParameter,
} from '../../../src/index';

// ---- arbitraries: rulesets as the parser produces them (minus texts and positions) ------------------------------

const decimal: fc.Arbitrary<NumberExpression> = fc
  .tuple(fc.integer({ min: -100_000, max: 100_000 }), fc.integer({ min: 0, max: 3 }))
  .map(([units, places]) => ({ kind: 'number', value: units === 0 ? 0 : units / 10 ** places }));

const { number: numberExpression } = fc.letrec<{ number: NumberExpression }>((tie) => ({
  number: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    decimal,
    fc.record({ kind: fc.constant('call' as const), name: fc.constantFrom('avg', 'min', 'max', 'last'), args: fc.array(tie('number'), { maxLength: 2 }) }),
    fc.record({ kind: fc.constant('binary' as const), operator: fc.constantFrom('+' as const, '-' as const, '*' as const, '/' as const), left: tie('number'), right: tie('number') }),
  ),
}));

/** Any text, except one that reads as a date literal (a quoted "YYYY-MM-DD" is a date in DQDL). */
const text = fc.string({ maxLength: 12 }).filter((value) => !/^\d{4}-\d{2}-\d{2}$/.test(value));
const stringOperand: fc.Arbitrary<Operand> = text.map((value) => ({ kind: 'string', value }));
const textKeyword: fc.Arbitrary<Operand> = fc.constantFrom('EMPTY' as const, 'WHITESPACES_ONLY' as const).map((keyword) => ({ kind: 'keyword', keyword }));
const nullKeyword: Operand = { kind: 'keyword', keyword: 'NULL' };
const date: fc.Arbitrary<Operand> = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2999-12-31T00:00:00Z'), noInvalidDate: true })
  .map((value) => ({ kind: 'date', value: value.toISOString().slice(0, 10) }));
const duration = fc.record({ kind: fc.constant('duration' as const), amount: fc.nat({ max: 1000 }), unit: fc.constantFrom('days' as const, 'hours' as const) });
const now: fc.Arbitrary<Operand> = fc.option(fc.record({ operator: fc.constantFrom('+' as const, '-' as const), duration }), { nil: undefined }).map((shift) => (shift ? { kind: 'now', shift } : { kind: 'now' }));
const comparison = fc.constantFrom('>' as const, '>=' as const, '<' as const, '<=' as const, '=' as const, '!=' as const);

/** A condition over operands of one kind, in every form DQDL has. */
function conditions(operand: fc.Arbitrary<Operand>, list: fc.Arbitrary<Operand[]>): fc.Arbitrary<Condition> {
  return fc.oneof(
    fc.record({ kind: fc.constant('comparison' as const), operator: comparison, operand }),
    fc.record({ kind: fc.constant('between' as const), negated: fc.boolean(), lower: operand, upper: operand }),
    fc.record({ kind: fc.constant('in' as const), negated: fc.boolean(), values: list }),
  );
}

const numberCondition = conditions(numberExpression, fc.array(numberExpression, { minLength: 1, maxLength: 4 }));
const valuesCondition = fc.oneof(
  numberCondition,
  conditions(stringOperand, fc.array(fc.oneof(stringOperand, textKeyword, fc.constant(nullKeyword)), { minLength: 1, maxLength: 4 })),
  conditions(fc.oneof(date, now), fc.array(fc.oneof(date, now, fc.constant(nullKeyword)), { minLength: 1, maxLength: 3 })),
  fc.record({ kind: fc.constant('comparison' as const), operator: fc.constantFrom('=' as const, '!=' as const), operand: fc.oneof(textKeyword, fc.constant(nullKeyword)) }),
  fc.record({ kind: fc.constant('matches' as const), negated: fc.boolean(), pattern: text }),
);
const durationCondition = conditions(duration, fc.array(duration, { minLength: 1, maxLength: 3 }));
const typesCondition: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ kind: fc.constant('comparison' as const), operator: fc.constantFrom('=' as const, '!=' as const), operand: stringOperand }),
  fc.record({ kind: fc.constant('in' as const), negated: fc.boolean(), values: fc.array(stringOperand, { minLength: 1, maxLength: 3 }) }),
);

const bareName = fc.stringMatching(/^[a-z_][a-z0-9_.]{0,8}$/).filter((name) => !RESERVED_FOR_TESTS.has(name) && !isRuleTypeName(name));
const parameter: fc.Arbitrary<RuleParameter> = fc
  .tuple(fc.oneof(text.map((value) => ({ value, quoted: true })), bareName.map((value) => ({ value, quoted: false }))), fc.option(fc.constantFrom('of' as const, 'and' as const), { nil: undefined }))
  .map(([value, connector]) => (connector ? { ...value, connector } : value));
const where = fc.option(text.filter((value) => value.trim() !== ''), { nil: undefined });
const threshold = fc.option(numberCondition, { nil: undefined });

/** A rule of a given type with what that type takes. */
function ruleOf(ruleType: string, parameters: fc.Arbitrary<RuleParameter[]>, condition: fc.Arbitrary<Condition | undefined>, withThreshold: boolean): fc.Arbitrary<RuleExpression> {
  return fc.record({ parameters, condition, where, threshold: withThreshold ? threshold : fc.constant(undefined) }).map(({ parameters: params, condition: c, where: w, threshold: t }) => ({
    kind: 'rule',
    ruleType,
    parameters: params,
    ...(c ? { condition: c } : {}),
    ...(t ? { threshold: t } : {}),
    ...(w !== undefined ? { where: w } : {}),
    text: '',
    position: { line: 1, column: 1, offset: 0 },
  }));
}

const one = fc.array(parameter, { minLength: 1, maxLength: 1 });
const leaf = fc.oneof(
  ruleOf('Completeness', one, numberCondition, false),
  ruleOf('RowCount', fc.constant([]), numberCondition, false),
  ruleOf('Uniqueness', fc.array(parameter, { minLength: 1, maxLength: 3 }), numberCondition, false),
  ruleOf('IsPrimaryKey', fc.array(parameter, { minLength: 1, maxLength: 3 }), fc.constant(undefined), false),
  ruleOf('IsComplete', one, fc.constant(undefined), false),
  ruleOf('ColumnValues', one, valuesCondition, true),
  ruleOf('ColumnDataType', one, typesCondition, true),
  ruleOf('DataFreshness', one, durationCondition, true),
  ruleOf('CustomSql', one, fc.option(numberCondition, { nil: undefined }), true),
  ruleOf('ReferentialIntegrity', fc.array(parameter, { minLength: 2, maxLength: 2 }), numberCondition, false),
);

const { expression } = fc.letrec<{ expression: RuleExpression }>((tie) => ({
  expression: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ kind: fc.constant('composite' as const), operator: fc.constantFrom('and' as const, 'or' as const), rules: fc.array(tie('expression'), { minLength: 2, maxLength: 3 }), text: fc.constant(''), position: fc.constant({ line: 1, column: 1, offset: 0 }) }),
  ),
}));

const labelText = fc.string({ minLength: 1, maxLength: 10 });
const labels = fc.dictionary(labelText, labelText, { maxKeys: 3 });

// ---- properties -------------------------------------------------------------------------------------------------

describe('Function: printRulesetRule', () => {
  it('prints any rule so that parsing the text gives the same rule back', () => {
    fc.assert(
      fc.property(expression, labels, (generated, ruleLabels) => {
        // Act
        const printed = printRulesetRule({ expression: generated, ruleLabels });
        const parsed = parseDqdlRule(printed);

        // Assess
        expect(withoutLocations(parsed.expression)).toEqual(withoutLocations(generated));
        expect(parsed.ruleLabels).toEqual(ruleLabels);
        expect(parsed.text).toBe(printRuleExpression(generated));
      }),
      { numRuns: 500 },
    );
  });
});

describe('Function: parseDqdlRule labels', () => {
  it('keeps a label named __proto__ as a label (found by the property above)', () => {
    const parsed = parseDqdlRule('CustomSql "" labels=["__proto__"=" "]');
    expect(Object.hasOwn(parsed.ruleLabels, '__proto__')).toBe(true);
    expect(parsed.ruleLabels).toEqual(JSON.parse('{"__proto__":" "}'));
  });
});

describe('Function: printDqdl', () => {
  it('prints a whole document that parses to the same ruleset', () => {
    // Prepare
    const source = [
      'Metadata = { "Version": "1.0" }',
      'DefaultLabels = ["team"="data"]',
      'codes = ["A", "B"]',
      'Rules = [',
      '  ColumnValues "code" in $codes labels=["severity"="warning"],',
      '  (RowCount between 1 and 10) or ((IsComplete "a") and (ColumnValues "d" > (now() - 3 days)))',
      ']',
      'Analyzers = [ Completeness "a", AllStatistics of AllColumns ]',
    ].join('\n');
    const parsed = parseDqdl(source);

    // Act
    const printed = printDqdl(parsed);

    // Assess
    expect(withoutLocations(parseDqdl(printed))).toEqual(withoutLocations(parsed));
    expect(printed).toContain('ColumnValues "code" in $codes labels=["severity"="warning"]');
  });

  it('writes the values of variables when asked, as the evaluated rule', () => {
    const [rule] = parseDqdl('codes = ["A", "B"]\nRules = [ ColumnValues "code" in $codes ]').rules;

    expect(rule && printRuleExpression(rule.expression, { inlineVariables: true })).toBe('ColumnValues "code" in ["A", "B"]');
  });
});
