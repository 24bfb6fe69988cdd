/** Where a node starts in the DQDL text (1-based line and column, 0-based offset). */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/** Units of a duration (`24 hours`, `3 days`). */
export type DurationUnit = 'days' | 'hours';

/** Units of a size (`5 MB`), used by file rules. */
export type SizeUnit = 'B' | 'KB' | 'MB' | 'GB' | 'TB';

/** The keywords a string condition may name instead of a quoted value. */
export type StringKeyword = 'NULL' | 'EMPTY' | 'WHITESPACES_ONLY';

/** The arithmetic operators of number expressions. */
export type NumberOperator = '+' | '-' | '*' | '/';

/**
 * A number: a literal, a function call (the `min(last(10))` of dynamic rules) or arithmetic over both.
 * Parentheses are not kept: the tree's shape says the grouping.
 */
export type NumberExpression =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly NumberExpression[] }
  | { readonly kind: 'binary'; readonly operator: NumberOperator; readonly left: NumberExpression; readonly right: NumberExpression };

/** A duration such as `24 hours`. */
export interface Duration {
  readonly kind: 'duration';
  readonly amount: number;
  readonly unit: DurationUnit;
}

/** A value a condition compares with. */
export type Operand =
  | NumberExpression
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'keyword'; readonly keyword: StringKeyword }
  /** A quoted `"YYYY-MM-DD"`. */
  | { readonly kind: 'date'; readonly value: string }
  /** `now()`, or `(now() - 3 days)` with a shift. */
  | { readonly kind: 'now'; readonly shift?: { readonly operator: '+' | '-'; readonly duration: Duration } }
  | Duration
  | { readonly kind: 'size'; readonly amount: number; readonly unit: SizeUnit };

/** Comparison operators of a condition. */
export type ComparisonOperator = '>' | '>=' | '<' | '<=' | '=' | '!=';

/** The expression a rule's value is checked with. `between` is exclusive of both ends, as in DQDL. */
export type Condition =
  | { readonly kind: 'comparison'; readonly operator: ComparisonOperator; readonly operand: Operand; readonly variable?: string }
  | { readonly kind: 'between'; readonly negated: boolean; readonly lower: Operand; readonly upper: Operand }
  | { readonly kind: 'in'; readonly negated: boolean; readonly values: readonly Operand[]; readonly variable?: string }
  | { readonly kind: 'matches'; readonly negated: boolean; readonly pattern: string };

/** One parameter of a rule: a quoted string (`"col-A"`) or a bare identifier (`col_1`), with its connector word. */
export interface RuleParameter {
  readonly value: string;
  readonly quoted: boolean;
  /** `of` / `and` written before the parameter (`ColumnCorrelation of a and b`). */
  readonly connector?: 'of' | 'and';
}

/** One rule: `ColumnValues "gender" in ["F", "M"] where "age > 18" with threshold > 0.9`. */
export interface DqRule {
  readonly kind: 'rule';
  readonly ruleType: string;
  readonly parameters: readonly RuleParameter[];
  readonly condition?: Condition;
  /** `with threshold <condition>`: the share of rows that must pass. */
  readonly threshold?: Condition;
  /** `where "<SQL predicate>"`: the rows the rule looks at. */
  readonly where?: string;
  /** The rule as written, whitespace collapsed and comments removed. */
  readonly text: string;
  readonly position: SourcePosition;
}

/** Rules joined by `and` / `or`, each in parentheses. */
export interface CompositeRule {
  readonly kind: 'composite';
  readonly operator: 'and' | 'or';
  readonly rules: readonly RuleExpression[];
  readonly text: string;
  readonly position: SourcePosition;
}

/** A rule or a composite of rules. */
export type RuleExpression = DqRule | CompositeRule;

/** DQDL labels: key-value pairs on a rule (`labels=["severity"="warning"]`) or the whole ruleset (`DefaultLabels`). */
export type Labels = Readonly<Record<string, string>>;

/** One entry of `Rules = [ ... ]`: a rule expression and its labels. */
export interface RulesetRule {
  readonly expression: RuleExpression;
  /** The ruleset's default labels overlaid with the rule's own: what the rule's results carry. */
  readonly labels: Labels;
  /** The labels written on the rule itself. */
  readonly ruleLabels: Labels;
  /** The entry as written, without its labels. */
  readonly text: string;
  readonly position: SourcePosition;
}

/** One entry of `Analyzers = [ ... ]`: a statistic to compute, with no pass or fail. */
export interface DqAnalyzer {
  readonly analyzerType: string;
  readonly parameters: readonly RuleParameter[];
  readonly text: string;
  readonly position: SourcePosition;
}

/** A `Metadata` or `DataSources` dictionary: strings and lists of strings. */
export type Dictionary = Readonly<Record<string, string | readonly string[]>>;

/** The value of a variable declared with `name = ...` and used as `$name`. */
export type VariableValue = Operand | readonly Operand[];

/** A parsed DQDL document. */
export interface DqdlRuleset {
  readonly metadata?: Dictionary;
  readonly dataSources?: Dictionary;
  readonly defaultLabels: Labels;
  readonly variables: Readonly<Record<string, VariableValue>>;
  readonly rules: readonly RulesetRule[];
  readonly analyzers: readonly DqAnalyzer[];
}
