import type { Condition, Dictionary, DqAnalyzer, DqdlRuleset, Labels, NumberExpression, Operand, RuleExpression, RuleParameter, RulesetRule, VariableValue } from './types/ast';

/** A string as DQDL writes it: double quotes, `"` and `\` escaped. */
export function quoteDqdl(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

function printNumber(expression: NumberExpression): string {
  switch (expression.kind) {
    case 'number':
      return String(expression.value);
    case 'call':
      return `${expression.name}(${expression.args.map(printNumber).join(', ')})`;
    case 'binary': {
      const side = (operand: NumberExpression): string => (operand.kind === 'binary' ? `(${printNumber(operand)})` : printNumber(operand));
      return `${side(expression.left)} ${expression.operator} ${side(expression.right)}`;
    }
  }
}

/** One operand as DQDL text; arithmetic is fully parenthesised so it reads back as the same tree. */
export function printOperand(operand: Operand): string {
  switch (operand.kind) {
    case 'number':
    case 'call':
      return printNumber(operand);
    case 'binary':
      return `(${printNumber(operand)})`;
    case 'string':
      return quoteDqdl(operand.value);
    case 'keyword':
      return operand.keyword;
    case 'date':
      return quoteDqdl(operand.value);
    case 'now':
      return operand.shift ? `(now() ${operand.shift.operator} ${operand.shift.duration.amount} ${operand.shift.duration.unit})` : 'now()';
    case 'duration':
    case 'size':
      return `${operand.amount} ${operand.unit}`;
  }
}

/** How to print. */
export interface PrintOptions {
  /** Write a variable's value instead of `$name` (what Glue calls the evaluated rule). @default false */
  readonly inlineVariables?: boolean;
}

/** A condition as DQDL text: `between 1 and 5`, `not in ["a", "b"]`, `matches "[0-9]+"`. */
export function printCondition(condition: Condition, options: PrintOptions = {}): string {
  const variable = (name: string | undefined): string | undefined => (name !== undefined && !options.inlineVariables ? `$${name}` : undefined);
  const not = (negated: boolean): string => (negated ? 'not ' : '');
  switch (condition.kind) {
    case 'comparison':
      return `${condition.operator} ${variable(condition.variable) ?? printOperand(condition.operand)}`;
    case 'between':
      return `${not(condition.negated)}between ${printOperand(condition.lower)} and ${printOperand(condition.upper)}`;
    case 'in':
      return `${not(condition.negated)}in ${variable(condition.variable) ?? `[${condition.values.map(printOperand).join(', ')}]`}`;
    case 'matches':
      return `${not(condition.negated)}matches ${quoteDqdl(condition.pattern)}`;
  }
}

function printParameter(parameter: RuleParameter): string {
  return `${parameter.connector ? `${parameter.connector} ` : ''}${parameter.quoted ? quoteDqdl(parameter.value) : parameter.value}`;
}

/**
 * A rule or composite as DQDL text. Composites put each part in parentheses, as DQDL requires.
 *
 * @example
 * printRuleExpression(parseDqdlRule('(IsComplete "a")   AND (IsUnique "a")').expression); // '(IsComplete "a") and (IsUnique "a")'
 */
export function printRuleExpression(expression: RuleExpression, options: PrintOptions = {}): string {
  if (expression.kind === 'composite') return expression.rules.map((rule) => `(${printRuleExpression(rule, options)})`).join(` ${expression.operator} `);
  return [
    expression.ruleType,
    ...expression.parameters.map(printParameter),
    ...(expression.condition ? [printCondition(expression.condition, options)] : []),
    ...(expression.where !== undefined ? [`where ${quoteDqdl(expression.where)}`] : []),
    ...(expression.threshold ? [`with threshold ${printCondition(expression.threshold, options)}`] : []),
  ].join(' ');
}

function printLabels(labels: Labels): string {
  return `[${Object.entries(labels).map(([key, value]) => `${quoteDqdl(key)}=${quoteDqdl(value)}`).join(', ')}]`;
}

/** One entry of `Rules = [ ... ]`, with the labels written on it. */
export function printRulesetRule(rule: Pick<RulesetRule, 'expression' | 'ruleLabels'>): string {
  const labels = Object.keys(rule.ruleLabels).length > 0 ? ` labels=${printLabels(rule.ruleLabels)}` : '';
  return `${printRuleExpression(rule.expression)}${labels}`;
}

function printDictionary(dictionary: Dictionary): string {
  const pairs = Object.entries(dictionary).map(([key, value]) => `${quoteDqdl(key)}: ${typeof value === 'string' ? quoteDqdl(value) : `[${value.map(quoteDqdl).join(', ')}]`}`);
  return `{ ${pairs.join(', ')} }`;
}

function printVariable(value: VariableValue): string {
  return Array.isArray(value) ? `[${(value as readonly Operand[]).map(printOperand).join(', ')}]` : printOperand(value as Operand);
}

function printAnalyzer(analyzer: DqAnalyzer): string {
  return [analyzer.analyzerType, ...analyzer.parameters.map(printParameter)].join(' ');
}

/** A whole ruleset as a DQDL document, one rule per line; {@link parseDqdl} reads it back to the same ruleset. */
export function printDqdl(ruleset: DqdlRuleset): string {
  const lines: string[] = [];
  if (ruleset.metadata) lines.push(`Metadata = ${printDictionary(ruleset.metadata)}`);
  if (ruleset.dataSources) lines.push(`DataSources = ${printDictionary(ruleset.dataSources)}`);
  if (Object.keys(ruleset.defaultLabels).length > 0) lines.push(`DefaultLabels = ${printLabels(ruleset.defaultLabels)}`);
  for (const [name, value] of Object.entries(ruleset.variables)) lines.push(`${name} = ${printVariable(value)}`);
  if (ruleset.rules.length > 0) lines.push(`Rules = [\n${ruleset.rules.map((rule) => `  ${printRulesetRule(rule)}`).join(',\n')}\n]`);
  if (ruleset.analyzers.length > 0) lines.push(`Analyzers = [\n${ruleset.analyzers.map((analyzer) => `  ${printAnalyzer(analyzer)}`).join(',\n')}\n]`);
  return `${lines.join('\n')}\n`;
}
