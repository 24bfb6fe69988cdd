import { DqdlSyntaxError } from '../dq-error';
import { RULE_TYPE_NAMES, isRuleTypeName, ruleTypeSpec, type ConditionKind, type RuleTypeSpec } from './rule-types';
import { tokenize, type Token } from './tokenize';
import type {
  ComparisonOperator,
  Condition,
  Dictionary,
  DqAnalyzer,
  DqRule,
  DqdlRuleset,
  Duration,
  DurationUnit,
  Labels,
  NumberExpression,
  Operand,
  RuleExpression,
  RuleParameter,
  RulesetRule,
  SizeUnit,
  SourcePosition,
  StringKeyword,
  VariableValue,
} from './types/ast';

/** The sections of a DQDL document; anything else before `=` declares a variable. */
const SECTIONS = ['Metadata', 'DataSources', 'DefaultLabels', 'Rules', 'Analyzers'] as const;

/** Words that end a rule's parameters: they can never be a bare (unquoted) parameter. */
const RESERVED = new Set([
  'between', 'in', 'not', 'matches', 'with', 'threshold', 'where', 'labels', 'now',
  'and', 'AND', 'or', 'OR', 'of', 'OF',
  'null', 'NULL', 'empty', 'EMPTY', 'whitespaces_only', 'WHITESPACES_ONLY',
]);

const KEYWORDS: Readonly<Record<string, StringKeyword>> = {
  null: 'NULL', NULL: 'NULL', empty: 'EMPTY', EMPTY: 'EMPTY', whitespaces_only: 'WHITESPACES_ONLY', WHITESPACES_ONLY: 'WHITESPACES_ONLY',
};
const DURATION_UNITS: readonly DurationUnit[] = ['days', 'hours'];
const SIZE_UNITS: readonly SizeUnit[] = ['B', 'KB', 'MB', 'GB', 'TB'];
const COMPARISONS: readonly string[] = ['>', '>=', '<', '<=', '=', '!='];
const DATE_LITERAL = /^\d{4}-\d{2}-\d{2}$/;

/** Limits DQDL puts on labels (github:awslabs/dqdl Labels.java). */
const MAX_LABELS_PER_RULE = 10;
const MAX_LABEL_KEY_LENGTH = 128;
const MAX_LABEL_VALUE_LENGTH = 256;

/** What kind of value an operand is, for checking that lists and bounds are of one kind. */
type Family = 'number' | 'string' | 'null' | 'date' | 'duration' | 'size';

interface DraftRule {
  readonly expression: RuleExpression;
  readonly ruleLabels: Labels;
  readonly text: string;
  readonly position: SourcePosition;
}

/**
 * Parses a DQDL document: `Rules = [ ... ]` (and optionally `Metadata`, `DataSources`, `DefaultLabels`, variables and
 * `Analyzers`) into a typed ruleset. Rule types, their parameter counts, which take a condition and which take
 * `with threshold` are checked against {@link RULE_TYPES}, as Glue checks them.
 *
 * @param source - the DQDL text
 * @returns the parsed ruleset
 * @throws DqdlSyntaxError with the line and column of the first problem
 * @example
 * const ruleset = parseDqdl('Rules = [ IsComplete "cust_id", RowCount > 0 labels=["severity"="blocking"] ]');
 * ruleset.rules[1]?.labels; // { severity: 'blocking' }
 */
export function parseDqdl(source: string): DqdlRuleset {
  return new DqdlParser(source).document();
}

/**
 * Parses one rule as it would appear inside `Rules = [ ... ]`, labels included. Positions refer to `rule` itself.
 *
 * @throws DqdlSyntaxError with the line and column of the first problem
 * @example
 * parseDqdlRule('ColumnValues "gender" in ["F", "M"]').expression.kind; // 'rule'
 */
export function parseDqdlRule(rule: string): RulesetRule {
  return new DqdlParser(rule).singleRule();
}

class DqdlParser {
  readonly #tokens: Token[];
  readonly #variables = new Map<string, VariableValue>();
  #at = 0;

  constructor(source: string) {
    this.#tokens = tokenize(source);
  }

  document(): DqdlRuleset {
    const seen = new Set<string>();
    let metadata: Dictionary | undefined;
    let dataSources: Dictionary | undefined;
    let defaultLabels: Labels = {};
    let rules: DraftRule[] | undefined;
    let analyzers: DqAnalyzer[] | undefined;
    while (this.#peek().kind !== 'end') {
      const name = this.#peek();
      if (name.kind !== 'identifier') this.#fail(name, `expected a section such as 'Rules = [ ... ]', found ${describe(name)}`);
      const section = SECTIONS.find((candidate) => candidate.toLowerCase() === name.text.toLowerCase());
      if (section && section !== name.text) this.#fail(name, `section names are case-sensitive: write '${section}'`);
      this.#next();
      this.#expect('=', `expected '=' after '${name.text}'`);
      if (seen.has(name.text)) this.#fail(name, `'${name.text}' is declared twice`);
      seen.add(name.text);
      switch (name.text) {
        case 'Metadata':
          metadata = this.#dictionary(name.text);
          break;
        case 'DataSources':
          dataSources = this.#dictionary(name.text);
          break;
        case 'DefaultLabels':
          defaultLabels = this.#labelList(name.text);
          break;
        case 'Rules':
          rules = this.#rules();
          break;
        case 'Analyzers':
          analyzers = this.#analyzers();
          break;
        default:
          this.#variables.set(name.text, this.#variableValue(name));
      }
    }
    if (!rules && !analyzers) this.#fail(this.#peek(), "expected 'Rules = [ ... ]': a ruleset needs rules or analyzers");
    return {
      ...(metadata ? { metadata } : {}),
      ...(dataSources ? { dataSources } : {}),
      defaultLabels,
      variables: Object.fromEntries(this.#variables),
      rules: (rules ?? []).map((rule) => this.#withDefaultLabels(rule, defaultLabels)),
      analyzers: analyzers ?? [],
    };
  }

  singleRule(): RulesetRule {
    const rule = this.#rulesetRule();
    if (this.#peek().kind !== 'end') this.#fail(this.#peek(), `expected the end of the rule, found ${describe(this.#peek())}`);
    return this.#withDefaultLabels(rule, {});
  }

  #withDefaultLabels(rule: DraftRule, defaultLabels: Labels): RulesetRule {
    const labels = { ...defaultLabels, ...rule.ruleLabels };
    if (Object.keys(labels).length > MAX_LABELS_PER_RULE) {
      throw new DqdlSyntaxError(rule.position.line, rule.position.column, `a rule may carry at most ${MAX_LABELS_PER_RULE} labels, default labels included`);
    }
    return { expression: rule.expression, labels, ruleLabels: rule.ruleLabels, text: rule.text, position: rule.position };
  }

  // ---- sections -------------------------------------------------------------------------------------------------

  #rules(): DraftRule[] {
    this.#expect('[', "expected '[' after 'Rules ='");
    if (this.#isPunctuation(this.#peek(), ']')) this.#fail(this.#peek(), "a ruleset needs at least one rule: expected a rule after '['");
    const rules: DraftRule[] = [];
    for (;;) {
      rules.push(this.#rulesetRule());
      const separator = this.#next();
      if (this.#isPunctuation(separator, ']')) return rules;
      if (!this.#isPunctuation(separator, ',')) this.#fail(separator, `expected ',' or ']' after a rule, found ${describe(separator)}`);
    }
  }

  #analyzers(): DqAnalyzer[] {
    this.#expect('[', "expected '[' after 'Analyzers ='");
    const analyzers: DqAnalyzer[] = [];
    if (this.#isPunctuation(this.#peek(), ']')) {
      this.#next();
      return analyzers;
    }
    for (;;) {
      const start = this.#at;
      const type = this.#next();
      if (type.kind !== 'identifier') this.#fail(type, `expected an analyzer, found ${describe(type)}`);
      const spec = this.#ruleType(type);
      if (!spec.analyzer) this.#fail(type, `${type.text} cannot be an analyzer: analyzers compute a statistic, such as Completeness "col"`);
      const parameters = this.#parameters(type, spec);
      if (this.#startsCondition(this.#peek())) this.#fail(this.#peek(), 'an analyzer takes no condition: it only computes its statistic');
      analyzers.push({ analyzerType: type.text, parameters, text: this.#textBetween(start, this.#at), position: position(type) });
      const separator = this.#next();
      if (this.#isPunctuation(separator, ']')) return analyzers;
      if (!this.#isPunctuation(separator, ',')) this.#fail(separator, `expected ',' or ']' after an analyzer, found ${describe(separator)}`);
    }
  }

  #dictionary(section: string): Dictionary {
    this.#expect('{', `expected '{' after '${section} ='`);
    const entries: [string, string | readonly string[]][] = [];
    for (;;) {
      const key = this.#next();
      if (key.kind !== 'string') this.#fail(key, `expected a quoted key in '${section}', found ${describe(key)}`);
      this.#expect(':', `expected ':' after the key "${key.value}"`);
      if (this.#isPunctuation(this.#peek(), '[')) {
        this.#next();
        const values: string[] = [];
        for (;;) {
          const value = this.#next();
          if (value.kind !== 'string') this.#fail(value, `expected a quoted string in the list of "${key.value}", found ${describe(value)}`);
          values.push(value.value);
          const separator = this.#next();
          if (this.#isPunctuation(separator, ']')) break;
          if (!this.#isPunctuation(separator, ',')) this.#fail(separator, `expected ',' or ']' in the list of "${key.value}"`);
        }
        entries.push([key.value, values]);
      } else {
        const value = this.#next();
        if (value.kind !== 'string') this.#fail(value, `expected a quoted value or a list for "${key.value}", found ${describe(value)}`);
        entries.push([key.value, value.value]);
      }
      const separator = this.#next();
      if (this.#isPunctuation(separator, '}')) return Object.fromEntries(entries);
      if (!this.#isPunctuation(separator, ',')) this.#fail(separator, `expected ',' or '}' in '${section}', found ${describe(separator)}`);
    }
  }

  #labelList(what: string): Labels {
    this.#expect('[', `expected '[' after '${what}='`);
    if (this.#isPunctuation(this.#peek(), ']')) this.#fail(this.#peek(), 'labels need at least one "key"="value" pair');
    const labels: Record<string, string> = {};
    for (;;) {
      const key = this.#next();
      if (key.kind !== 'string') this.#fail(key, `expected a quoted label key, found ${describe(key)}`);
      this.#expect('=', `expected '=' after the label key "${key.value}"`);
      const value = this.#next();
      if (value.kind !== 'string') this.#fail(value, `expected a quoted label value after '=', found ${describe(value)}`);
      if (key.value === '' || value.value === '') this.#fail(key, 'a label key or value cannot be empty');
      if (key.value.length > MAX_LABEL_KEY_LENGTH) this.#fail(key, `a label key may be at most ${MAX_LABEL_KEY_LENGTH} characters`);
      if (value.value.length > MAX_LABEL_VALUE_LENGTH) this.#fail(value, `a label value may be at most ${MAX_LABEL_VALUE_LENGTH} characters`);
      if (Object.hasOwn(labels, key.value)) this.#fail(key, `duplicate label key "${key.value}"`);
      // defineProperty, not assignment: a label called "__proto__" must be a label, not a new prototype.
      Object.defineProperty(labels, key.value, { value: value.value, enumerable: true, writable: true, configurable: true });
      const separator = this.#next();
      if (this.#isPunctuation(separator, ']')) return labels;
      if (!this.#isPunctuation(separator, ',')) this.#fail(separator, `expected ',' or ']' in the labels, found ${describe(separator)}`);
    }
  }

  #variableValue(name: Token): VariableValue {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name.text)) this.#fail(name, `'${name.text}' is not a valid variable name`);
    if (this.#isPunctuation(this.#peek(), '[')) return this.#list('values', `'${name.text} ='`);
    return this.#operand('values', `'${name.text} ='`);
  }

  // ---- rules --------------------------------------------------------------------------------------------------

  #rulesetRule(): DraftRule {
    const start = this.#at;
    const first = this.#peek();
    const expression = this.#ruleExpression();
    const text = this.#textBetween(start, this.#at);
    let ruleLabels: Labels = {};
    if (this.#isIdentifier(this.#peek(), 'labels')) {
      this.#next();
      this.#expect('=', "expected '=' after 'labels'");
      ruleLabels = this.#labelList('labels');
    }
    return { expression, ruleLabels, text, position: position(first) };
  }

  #ruleExpression(): RuleExpression {
    const first = this.#peek();
    if (!this.#isPunctuation(first, '(')) return this.#rule();
    const start = this.#at;
    const rules = [this.#parenthesised()];
    let operator: 'and' | 'or' | undefined;
    while (this.#isIdentifier(this.#peek(), 'and', 'AND', 'or', 'OR')) {
      const joiner = this.#next();
      const next = joiner.text.toLowerCase() as 'and' | 'or';
      if (operator && operator !== next) this.#fail(joiner, `'and' and 'or' cannot be mixed at one level: group them with parentheses, e.g. (A) and ((B) or (C))`);
      operator = next;
      if (!this.#isPunctuation(this.#peek(), '(')) this.#fail(this.#peek(), `expected '(' after '${joiner.text}': each rule joined by '${next}' must be in parentheses`);
      rules.push(this.#parenthesised());
    }
    const [only] = rules;
    if (!operator || !only) return only ?? this.#fail(first, 'expected a rule');
    return { kind: 'composite', operator, rules, text: this.#textBetween(start, this.#at), position: position(first) };
  }

  #parenthesised(): RuleExpression {
    const open = this.#next();
    const expression = this.#ruleExpression();
    const close = this.#next();
    if (!this.#isPunctuation(close, ')')) this.#fail(close, `expected ')' to close the '(' at line ${open.line}, column ${open.column}, found ${describe(close)}`);
    return expression;
  }

  #rule(): DqRule {
    const start = this.#at;
    const type = this.#next();
    if (type.kind !== 'identifier') this.#fail(type, `expected a rule, found ${describe(type)}`);
    const spec = this.#ruleType(type);
    if (spec.analyzerOnly) this.#fail(type, `${type.text} is an analyzer, not a rule: put it in 'Analyzers = [ ... ]'`);
    const parameters = this.#parameters(type, spec);
    const afterParameters = this.#peek();
    let condition: Condition | undefined;
    if (this.#startsCondition(afterParameters)) {
      if (spec.condition === 'none') this.#fail(afterParameters, `${type.text} takes no condition: write it as ${spec.example}`);
      condition = this.#condition(spec.condition);
    } else if (spec.conditionRequired) {
      this.#fail(afterParameters, `${type.text} needs a condition, e.g. ${spec.example}; found ${describe(afterParameters)}`);
    }
    let where: string | undefined;
    let threshold: Condition | undefined;
    for (;;) {
      const next = this.#peek();
      if (this.#isIdentifier(next, 'where')) {
        if (where !== undefined) this.#fail(next, "a rule takes one 'where' clause");
        this.#next();
        const predicate = this.#next();
        if (predicate.kind !== 'string') this.#fail(predicate, `expected a quoted SQL predicate after 'where', found ${describe(predicate)}`);
        if (predicate.value.trim() === '') this.#fail(predicate, "the 'where' predicate is empty");
        where = predicate.value;
      } else if (this.#isIdentifier(next, 'with')) {
        this.#next();
        if (!this.#isIdentifier(this.#peek(), 'threshold')) this.#fail(this.#peek(), `expected 'threshold' after 'with', found ${describe(this.#peek())}`);
        this.#next();
        if (!spec.threshold) this.#fail(next, `${type.text} does not take 'with threshold'`);
        if (threshold) this.#fail(next, "a rule takes one 'with threshold'");
        if (!this.#startsCondition(this.#peek())) this.#fail(this.#peek(), `expected a condition after 'with threshold', e.g. 'with threshold > 0.9'; found ${describe(this.#peek())}`);
        threshold = this.#condition('number');
      } else {
        break;
      }
    }
    return {
      kind: 'rule',
      ruleType: type.text,
      parameters,
      ...(condition ? { condition } : {}),
      ...(threshold ? { threshold } : {}),
      ...(where !== undefined ? { where } : {}),
      text: this.#textBetween(start, this.#at),
      position: position(type),
    };
  }

  #ruleType(type: Token): RuleTypeSpec {
    const spec = ruleTypeSpec(type.text);
    if (spec) return spec;
    const sameLetters = RULE_TYPE_NAMES.find((name) => name.toLowerCase() === type.text.toLowerCase());
    this.#fail(type, sameLetters ? `unknown rule type '${type.text}': rule types are case-sensitive, write '${sameLetters}'` : `unknown rule type '${type.text}'`);
  }

  #parameters(type: Token, spec: RuleTypeSpec): RuleParameter[] {
    const parameters: RuleParameter[] = [];
    const tokens: Token[] = [];
    for (;;) {
      let connector: 'of' | 'and' | undefined;
      if (this.#isIdentifier(this.#peek(), 'of', 'OF', 'and', 'AND') && this.#startsParameter(this.#peek(1))) {
        connector = this.#next().text.toLowerCase() as 'of' | 'and';
      }
      const token = this.#peek();
      if (!this.#startsParameter(token)) break;
      if (token.kind === 'identifier' && isRuleTypeName(token.text)) {
        this.#fail(token, connector === 'and' ? "rules joined by 'and' or 'or' must each be in parentheses: (A) and (B)" : `expected ',' before the next rule '${token.text}'`);
      }
      this.#next();
      tokens.push(token);
      parameters.push({ value: token.value, quoted: token.kind === 'string', ...(connector ? { connector } : {}) });
    }
    if (parameters.length < spec.minParameters || parameters.length > spec.maxParameters) {
      const count =
        spec.maxParameters === Infinity
          ? `at least ${spec.minParameters} parameter${spec.minParameters === 1 ? '' : 's'}`
          : spec.minParameters === spec.maxParameters
            ? `${spec.minParameters} parameter${spec.minParameters === 1 ? '' : 's'}`
            : `${spec.minParameters} to ${spec.maxParameters} parameters`;
      const at = parameters.length > spec.maxParameters ? (tokens[spec.maxParameters] ?? type) : type;
      this.#fail(at, `${type.text} takes ${count}, found ${parameters.length}, e.g. ${spec.example}`);
    }
    return parameters;
  }

  #startsParameter(token: Token): boolean {
    return token.kind === 'string' || (token.kind === 'identifier' && !RESERVED.has(token.text) && !this.#isPunctuation(this.#peekAfter(token), '('));
  }

  #startsCondition(token: Token): boolean {
    return (token.kind === 'punctuation' && [...COMPARISONS, '!'].includes(token.text)) || this.#isIdentifier(token, 'between', 'not', 'in', 'matches');
  }

  // ---- conditions ---------------------------------------------------------------------------------------------

  #condition(kind: ConditionKind): Condition {
    let token = this.#next();
    let negated = false;
    if (this.#isIdentifier(token, 'not')) {
      negated = true;
      token = this.#next();
      if (!this.#isIdentifier(token, 'between', 'in', 'matches')) this.#fail(token, `expected 'between', 'in' or 'matches' after 'not', found ${describe(token)}`);
    }
    if (this.#isIdentifier(token, 'between')) {
      const lowerToken = this.#peek();
      const lower = this.#operand(kind, "'between'");
      if (!this.#isIdentifier(this.#peek(), 'and')) this.#fail(this.#peek(), `expected 'and' between the two bounds of 'between', found ${describe(this.#peek())}`);
      const and = this.#next();
      const upperToken = this.#peek();
      const upper = this.#operand(kind, "'and'");
      if (family(lower) === 'null') this.#fail(lowerToken, "NULL cannot be a bound of 'between'");
      if (family(upper) === 'null') this.#fail(upperToken, "NULL cannot be a bound of 'between'");
      if (family(lower) !== family(upper)) this.#fail(and, `the bounds of 'between' must be of one kind, found a ${family(lower)} and a ${family(upper)}`);
      return { kind: 'between', negated, lower, upper };
    }
    if (this.#isIdentifier(token, 'in')) {
      const list = this.#peek();
      if (list.kind === 'variable') {
        this.#next();
        const value = this.#variable(list);
        if (!Array.isArray(value)) this.#fail(list, `'in' needs a list, but $${list.value} is a single value`);
        const values = value as readonly Operand[];
        const bad = values.find((operand) => !fits(kind, operand));
        if (bad) this.#fail(list, `$${list.value} holds a ${family(bad)}, which this rule cannot compare with`);
        return { kind: 'in', negated, values, variable: list.value };
      }
      return { kind: 'in', negated, values: this.#list(kind, "'in'") };
    }
    if (this.#isIdentifier(token, 'matches')) {
      if (kind !== 'values') this.#fail(token, "'matches' only applies to the values of a column (ColumnValues)");
      const pattern = this.#next();
      if (pattern.kind !== 'string') this.#fail(pattern, `expected a quoted regular expression after 'matches', found ${describe(pattern)}`);
      return { kind: 'matches', negated, pattern: pattern.value };
    }
    let operator = token.text;
    if (this.#isPunctuation(token, '!')) {
      const equals = this.#next();
      if (!this.#isPunctuation(equals, '=')) this.#fail(token, "expected '!=' ('!' is only used in '!=')");
      operator = '!=';
    }
    if (token.kind !== 'punctuation' || !COMPARISONS.includes(operator)) this.#fail(token, `expected a condition such as '> 0.9', found ${describe(token)}`);
    const operandToken = this.#peek();
    if (operandToken.kind === 'variable') {
      this.#next();
      const value = this.#variable(operandToken);
      if (Array.isArray(value)) this.#fail(operandToken, `$${operandToken.value} is a list: compare a list with 'in'`);
      const operand = value as Operand;
      if (!fits(kind, operand)) this.#fail(operandToken, `$${operandToken.value} holds a ${family(operand)}, which this rule cannot compare with`);
      return { kind: 'comparison', operator: operator as ComparisonOperator, operand, variable: operandToken.value };
    }
    const operand = this.#operand(kind, `'${operator}'`);
    if (operand.kind === 'keyword' && operator !== '=' && operator !== '!=') this.#fail(operandToken, `${operand.keyword} can only be compared with '=' or '!='`);
    return { kind: 'comparison', operator: operator as ComparisonOperator, operand };
  }

  #list(kind: ConditionKind, after: string): Operand[] {
    const open = this.#next();
    if (!this.#isPunctuation(open, '[')) this.#fail(open, `expected '[' or a $variable after ${after}, found ${describe(open)}`);
    if (this.#isPunctuation(this.#peek(), ']')) this.#fail(this.#peek(), 'a list needs at least one value');
    const values: Operand[] = [];
    let listFamily: Family | undefined;
    for (;;) {
      const token = this.#peek();
      const value = this.#operand(kind, values.length === 0 ? "'['" : "','");
      const valueFamily = family(value);
      if (valueFamily !== 'null') {
        if (listFamily && listFamily !== valueFamily) this.#fail(token, `a list must hold values of one kind: found a ${valueFamily} in a list of ${listFamily}s`);
        listFamily = valueFamily;
      }
      values.push(value);
      const separator = this.#next();
      if (this.#isPunctuation(separator, ']')) return values;
      if (!this.#isPunctuation(separator, ',')) this.#fail(separator, `expected ',' or ']' in the list, found ${describe(separator)}`);
    }
  }

  /** One value of a condition, of the kinds the rule type compares with. */
  #operand(kind: ConditionKind, after: string): Operand {
    const token = this.#peek();
    if (token.kind === 'variable') {
      this.#next();
      const value = this.#variable(token);
      if (Array.isArray(value)) this.#fail(token, `$${token.value} is a list, expected a single value`);
      return value as Operand;
    }
    switch (kind) {
      case 'number':
        return this.#numberExpression(after);
      case 'duration':
        return this.#duration(after);
      case 'size':
        return this.#size(after);
      case 'types':
        if (token.kind !== 'string') this.#fail(token, `expected a quoted type name such as "Integer" after ${after}, found ${describe(token)}`);
        this.#next();
        return { kind: 'string', value: token.value };
      case 'freshness':
        if (token.kind === 'number') return this.#duration(after);
        return this.#date() ?? this.#fail(token, `expected a date such as (now() - 1 days) or a duration such as '24 hours' after ${after}, found ${describe(token)}`);
      case 'values':
      case 'none': {
        if (token.kind === 'identifier' && Object.hasOwn(KEYWORDS, token.text)) {
          this.#next();
          return { kind: 'keyword', keyword: KEYWORDS[token.text] ?? 'NULL' };
        }
        const date = this.#date();
        if (date) return date;
        if (token.kind === 'string') {
          this.#next();
          return { kind: 'string', value: token.value };
        }
        if (!this.#startsNumber(token)) this.#fail(token, `expected a value (a number, a quoted string, a date or NULL) after ${after}, found ${describe(token)}`);
        const number = this.#numberExpression(after);
        if (number.kind === 'number' && this.#isIdentifier(this.#peek(), ...DURATION_UNITS)) {
          this.#fail(this.#peek(), 'a duration cannot be compared with the values of a column; use DataFreshness, or a date such as (now() - 3 days)');
        }
        return number;
      }
    }
  }

  /** A date (`"2024-01-31"`, `now()`, `(now() - 3 days)`), or undefined when the next tokens are no date. */
  #date(): Operand | undefined {
    const token = this.#peek();
    if (token.kind === 'string' && DATE_LITERAL.test(token.value)) {
      this.#next();
      return { kind: 'date', value: token.value };
    }
    if (this.#isNow(0)) {
      this.#at += 3;
      const shift = this.#peek();
      if (this.#isPunctuation(shift, '+') || this.#isPunctuation(shift, '-')) {
        this.#fail(shift, `date arithmetic must be in parentheses, e.g. (now() ${shift.text} 3 days)`);
      }
      return { kind: 'now' };
    }
    if (this.#isPunctuation(token, '(') && this.#isNow(1)) {
      this.#at += 4;
      const operator = this.#next();
      if (!this.#isPunctuation(operator, '-') && !this.#isPunctuation(operator, '+')) this.#fail(operator, `expected '+' or '-' after 'now()', found ${describe(operator)}`);
      const duration = this.#duration(`'${operator.text}'`);
      const close = this.#next();
      if (!this.#isPunctuation(close, ')')) this.#fail(close, `expected ')' to close the date started at line ${token.line}, column ${token.column}, found ${describe(close)}`);
      return { kind: 'now', shift: { operator: operator.text as '+' | '-', duration } };
    }
    return undefined;
  }

  #isNow(ahead: number): boolean {
    return this.#isIdentifier(this.#peek(ahead), 'now') && this.#isPunctuation(this.#peek(ahead + 1), '(') && this.#isPunctuation(this.#peek(ahead + 2), ')');
  }

  #duration(after: string): Duration {
    const amount = this.#next();
    if (amount.kind !== 'number') this.#fail(amount, `expected a duration such as '24 hours' after ${after}, found ${describe(amount)}`);
    if (amount.text.includes('.')) this.#fail(amount, `a duration is a whole number of days or hours, found '${amount.text}'`);
    const unit = this.#peek();
    if (!this.#isIdentifier(unit, ...DURATION_UNITS)) this.#fail(unit, `expected a duration unit ('days' or 'hours') after '${amount.text}', found ${describe(unit)}`);
    this.#next();
    return { kind: 'duration', amount: Number(amount.text), unit: unit.text as DurationUnit };
  }

  #size(after: string): Operand {
    const amount = this.#next();
    if (amount.kind !== 'number') this.#fail(amount, `expected a size such as '5 MB' after ${after}, found ${describe(amount)}`);
    const unit = this.#peek();
    if (!this.#isIdentifier(unit, ...SIZE_UNITS)) this.#fail(unit, `expected a size unit (B, KB, MB, GB or TB) after '${amount.text}', found ${describe(unit)}`);
    this.#next();
    return { kind: 'size', amount: Number(amount.text), unit: unit.text as SizeUnit };
  }

  #startsNumber(token: Token): boolean {
    if (token.kind === 'number' || this.#isPunctuation(token, '(')) return true;
    if (this.#isPunctuation(token, '-')) return this.#peekAfter(token).kind === 'number';
    return token.kind === 'identifier' && !RESERVED.has(token.text) && this.#isPunctuation(this.#peekAfter(token), '(');
  }

  /** `number (+|-|*|/ number)*` with the usual precedence; numbers are literals, calls or parenthesised. */
  #numberExpression(after: string): NumberExpression {
    if (!this.#startsNumber(this.#peek())) this.#fail(this.#peek(), `expected a number after ${after}, found ${describe(this.#peek())}`);
    return this.#additive(after);
  }

  #additive(after: string): NumberExpression {
    let left = this.#multiplicative(after);
    while (this.#isPunctuation(this.#peek(), '+') || this.#isPunctuation(this.#peek(), '-')) {
      const operator = this.#next().text as '+' | '-';
      left = { kind: 'binary', operator, left, right: this.#multiplicative(`'${operator}'`) };
    }
    return left;
  }

  #multiplicative(after: string): NumberExpression {
    let left = this.#factor(after);
    while (this.#isPunctuation(this.#peek(), '*') || this.#isPunctuation(this.#peek(), '/')) {
      const operator = this.#next().text as '*' | '/';
      left = { kind: 'binary', operator, left, right: this.#factor(`'${operator}'`) };
    }
    return left;
  }

  #factor(after: string): NumberExpression {
    const token = this.#peek();
    if (this.#isPunctuation(token, '-') && this.#peek(1).kind === 'number') {
      this.#next();
      return { kind: 'number', value: -Number(this.#next().text) };
    }
    if (token.kind === 'number') {
      this.#next();
      return { kind: 'number', value: Number(token.text) };
    }
    if (this.#isPunctuation(token, '(')) {
      this.#next();
      if (!this.#startsNumber(this.#peek())) this.#fail(this.#peek(), `expected a number after '(', found ${describe(this.#peek())}`);
      const inner = this.#additive("'('");
      const close = this.#next();
      if (!this.#isPunctuation(close, ')')) this.#fail(close, `expected ')' to close the '(' at line ${token.line}, column ${token.column}, found ${describe(close)}`);
      return inner;
    }
    if (token.kind === 'identifier' && !RESERVED.has(token.text) && this.#isPunctuation(this.#peek(1), '(')) {
      this.#next();
      this.#next();
      const args: NumberExpression[] = [];
      if (!this.#isPunctuation(this.#peek(), ')')) {
        for (;;) {
          args.push(this.#numberExpression(args.length === 0 ? `'${token.text}('` : "','"));
          if (!this.#isPunctuation(this.#peek(), ',')) break;
          this.#next();
        }
      }
      const close = this.#next();
      if (!this.#isPunctuation(close, ')')) this.#fail(close, `expected ')' to close '${token.text}(', found ${describe(close)}`);
      return { kind: 'call', name: token.text, args };
    }
    this.#fail(token, `expected a number after ${after}, found ${describe(token)}`);
  }

  #variable(token: Token): VariableValue {
    const value = this.#variables.get(token.value);
    if (value === undefined) this.#fail(token, `variable $${token.value} is not declared; declare it before the rules, e.g. ${token.value} = ["a", "b"]`);
    return value;
  }

  // ---- tokens -------------------------------------------------------------------------------------------------

  #peek(ahead = 0): Token {
    return this.#tokens[Math.min(this.#at + ahead, this.#tokens.length - 1)] as Token;
  }

  #peekAfter(token: Token): Token {
    const index = this.#tokens.indexOf(token);
    return this.#tokens[Math.min(index + 1, this.#tokens.length - 1)] as Token;
  }

  #next(): Token {
    const token = this.#peek();
    if (this.#at < this.#tokens.length - 1) this.#at += 1;
    return token;
  }

  #expect(text: string, reason: string): Token {
    const token = this.#next();
    if (!this.#isPunctuation(token, text)) this.#fail(token, `${reason}, found ${describe(token)}`);
    return token;
  }

  #isPunctuation(token: Token, text: string): boolean {
    return token.kind === 'punctuation' && token.text === text;
  }

  #isIdentifier(token: Token, ...names: readonly string[]): boolean {
    return token.kind === 'identifier' && names.includes(token.text);
  }

  /** The source of tokens [from, to): whitespace runs and comments become one space. */
  #textBetween(from: number, to: number): string {
    let text = '';
    for (let i = from; i < to; i += 1) {
      const token = this.#tokens[i] as Token;
      const previous = this.#tokens[i - 1];
      if (i > from && previous && token.offset > previous.end) text += ' ';
      text += token.text;
    }
    return text;
  }

  #fail(token: Token, reason: string): never {
    throw new DqdlSyntaxError(token.line, token.column, reason);
  }
}

function position(token: Token): SourcePosition {
  return { line: token.line, column: token.column, offset: token.offset };
}

function describe(token: Token): string {
  if (token.kind === 'end') return 'the end of the ruleset';
  const text = token.text.length > 40 ? `${token.text.slice(0, 37)}...` : token.text;
  return token.kind === 'string' ? text : `'${text}'`;
}

function family(operand: Operand): Family {
  switch (operand.kind) {
    case 'number':
    case 'call':
    case 'binary':
      return 'number';
    case 'string':
      return 'string';
    case 'keyword':
      return operand.keyword === 'NULL' ? 'null' : 'string';
    case 'date':
    case 'now':
      return 'date';
    case 'duration':
      return 'duration';
    case 'size':
      return 'size';
  }
}

/** True when a rule whose condition is of `kind` can compare with `operand` (a variable's value). */
function fits(kind: ConditionKind, operand: Operand): boolean {
  const of = family(operand);
  switch (kind) {
    case 'number':
      return of === 'number';
    case 'duration':
      return of === 'duration';
    case 'size':
      return of === 'size';
    case 'types':
      return of === 'string' && operand.kind === 'string';
    case 'freshness':
      return of === 'date' || of === 'duration';
    case 'values':
    case 'none':
      return of !== 'duration' && of !== 'size';
  }
}
