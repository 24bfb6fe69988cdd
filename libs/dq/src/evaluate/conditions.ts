import type { ComparisonOperator, Condition, NumberExpression, Operand } from '../dqdl/types/ast';
import type { EvaluationContext } from './evaluation-context';
import { RuleEvaluationError } from './rule-error';
import { fullMatch, numberLiteral, quoteLiteral, timestampLiteral } from './sql';

/** What a row's value is compared as. @internal */
export type ValueKind = 'number' | 'string' | 'date' | 'duration';

const HOUR_MS = 3_600_000;

/** The value of a number expression; the functions of dynamic rules need run history and are not evaluated here. @internal */
export function evaluateNumber(expression: NumberExpression): number {
  switch (expression.kind) {
    case 'number':
      return expression.value;
    case 'call':
      throw new RuleEvaluationError(`dynamic rules (${expression.name}(...)) need the results of earlier runs and are not supported locally`);
    case 'binary': {
      const left = evaluateNumber(expression.left);
      const right = evaluateNumber(expression.right);
      switch (expression.operator) {
        case '+':
          return left + right;
        case '-':
          return left - right;
        case '*':
          return left * right;
        case '/':
          return left / right;
      }
    }
  }
}

function numberOperand(operand: Operand): number {
  if (operand.kind === 'number' || operand.kind === 'call' || operand.kind === 'binary') return evaluateNumber(operand);
  throw new RuleEvaluationError(`a metric can only be compared with numbers, found a ${operand.kind}`);
}

/**
 * True when a metric meets a number condition, with DQDL's semantics: `between` excludes both ends, `=` is exact.
 * @internal
 */
export function meetsCondition(metric: number, condition: Condition): boolean {
  switch (condition.kind) {
    case 'comparison':
      return compare(metric, condition.operator, numberOperand(condition.operand));
    case 'between': {
      const inside = metric > numberOperand(condition.lower) && metric < numberOperand(condition.upper);
      return condition.negated ? !inside : inside;
    }
    case 'in': {
      const found = condition.values.map(numberOperand).includes(metric);
      return condition.negated ? !found : found;
    }
    case 'matches':
      throw new RuleEvaluationError("'matches' does not apply to a metric");
  }
}

function compare(metric: number, operator: ComparisonOperator, value: number): boolean {
  switch (operator) {
    case '>':
      return metric > value;
    case '>=':
      return metric >= value;
    case '<':
      return metric < value;
    case '<=':
      return metric <= value;
    case '=':
      return metric === value;
    case '!=':
      return metric !== value;
  }
}

/** What a row-level condition reads of a row. @internal */
export interface RowValue {
  /** SQL that is TRUE when the row's value is NULL. */
  readonly isNull: string;
  /** The row's value as SQL, read as the kind of the operand it is compared with. */
  readonly as: (kind: ValueKind) => string;
}

function kindOf(operand: Operand): ValueKind | undefined {
  switch (operand.kind) {
    case 'number':
    case 'call':
    case 'binary':
      return 'number';
    case 'string':
      return 'string';
    case 'date':
    case 'now':
      return 'date';
    case 'duration':
      return 'duration';
    case 'keyword':
    case 'size':
      return undefined;
  }
}

/** An operand as a SQL literal. Durations are seconds; dates are timestamps at midnight. @internal */
export function operandSql(operand: Operand, context: EvaluationContext): string {
  switch (operand.kind) {
    case 'number':
    case 'call':
    case 'binary':
      return numberLiteral(evaluateNumber(operand));
    case 'string':
      return quoteLiteral(operand.value);
    case 'date':
      return `TIMESTAMP '${operand.value} 00:00:00'`;
    case 'now': {
      if (!operand.shift) return timestampLiteral(context.wallClock);
      // As Glue does: a shifted now() is taken at the start of the current hour.
      const hour = Math.floor(context.wallClock.getTime() / HOUR_MS) * HOUR_MS;
      const hours = operand.shift.duration.amount * (operand.shift.duration.unit === 'days' ? 24 : 1);
      return timestampLiteral(new Date(hour + (operand.shift.operator === '-' ? -hours : hours) * HOUR_MS));
    }
    case 'duration':
      return numberLiteral(operand.amount * (operand.unit === 'days' ? 86_400 : 3_600));
    case 'keyword':
    case 'size':
      throw new RuleEvaluationError(`a ${operand.kind} cannot be compared with the values of a column`);
  }
}

function keywordPredicate(keyword: 'EMPTY' | 'WHITESPACES_ONLY', text: string): string {
  return keyword === 'EMPTY' ? `${text} = ''` : fullMatch(text, '\\s+');
}

/**
 * SQL that is TRUE exactly when a row meets a row-level condition (ColumnValues and friends), never NULL. As in Glue,
 * a NULL value fails every condition except `!=` and `not in`, and passes `= NULL` / `in [..., NULL]`.
 * @internal
 */
export function rowPredicate(value: RowValue, condition: Condition, context: EvaluationContext): string {
  const text = value.as('string');
  switch (condition.kind) {
    case 'comparison': {
      const { operator, operand } = condition;
      if (operand.kind === 'keyword') {
        if (operand.keyword === 'NULL') return operator === '=' ? `(${value.isNull})` : `(NOT ${value.isNull})`;
        const matches = keywordPredicate(operand.keyword, text);
        return operator === '=' ? `COALESCE(${matches}, FALSE)` : `(CASE WHEN ${value.isNull} THEN TRUE ELSE COALESCE(NOT (${matches}), TRUE) END)`;
      }
      const kind = kindOf(operand);
      if (!kind) throw new RuleEvaluationError(`a ${operand.kind} cannot be compared with the values of a column`);
      const compared = `${value.as(kind)} ${operator === '!=' ? '<>' : operator} ${operandSql(operand, context)}`;
      return operator === '!=' ? `(CASE WHEN ${value.isNull} THEN TRUE ELSE COALESCE(${compared}, TRUE) END)` : `COALESCE(${compared}, FALSE)`;
    }
    case 'between': {
      const kind = kindOf(condition.lower);
      if (!kind) throw new RuleEvaluationError("'between' needs numbers, strings, dates or durations");
      const inside = `${value.as(kind)} > ${operandSql(condition.lower, context)} AND ${value.as(kind)} < ${operandSql(condition.upper, context)}`;
      return condition.negated ? `COALESCE(NOT (${inside}), FALSE)` : `COALESCE(${inside}, FALSE)`;
    }
    case 'in': {
      const hasNull = condition.values.some((operand) => operand.kind === 'keyword' && operand.keyword === 'NULL');
      const literals = condition.values.filter((operand) => operand.kind !== 'keyword');
      const keywords = condition.values.flatMap((operand) => (operand.kind === 'keyword' && operand.keyword !== 'NULL' ? [operand.keyword] : []));
      const parts = keywords.map((keyword) => keywordPredicate(keyword, text));
      const [first] = literals;
      if (first) {
        const kind = kindOf(first);
        if (!kind) throw new RuleEvaluationError(`a ${first.kind} cannot be in a list of values`);
        parts.unshift(`${value.as(kind)} IN (${literals.map((operand) => operandSql(operand, context)).join(', ')})`);
      }
      const found = parts.length > 0 ? parts.join(' OR ') : 'FALSE';
      return condition.negated
        ? `(CASE WHEN ${value.isNull} THEN ${hasNull ? 'FALSE' : 'TRUE'} ELSE COALESCE(NOT (${found}), TRUE) END)`
        : `(CASE WHEN ${value.isNull} THEN ${hasNull ? 'TRUE' : 'FALSE'} ELSE COALESCE(${found}, FALSE) END)`;
    }
    case 'matches': {
      const matches = fullMatch(text, condition.pattern);
      return condition.negated ? `COALESCE(NOT ${matches}, FALSE)` : `COALESCE(${matches}, FALSE)`;
    }
  }
}
