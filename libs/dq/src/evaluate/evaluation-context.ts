import type { SqlEngine } from '@cur/platform';
import { DEFAULT_TARGET_VIEW } from '../constants';
import { DqOptionsError } from '../dq-error';
import { RuleEvaluationError } from './rule-error';
import { PLAIN_IDENTIFIER, quoteIdentifier } from './sql';

/** Options of {@link evaluateRuleset}. */
export interface EvaluateRulesetOptions {
  /** The engine the rules' SQL runs on; the caller has registered the views. */
  readonly engine: SqlEngine;
  /** The view holding the dataset under test (Glue's `primary`). @default 'dq_target' */
  readonly view?: string;
  /**
   * Views of reference datasets by the alias rules use: `ReferentialIntegrity "cust_id" "customer_profile.{cust_id}"`
   * reads `references.customer_profile`; RowCountMatch, SchemaMatch and CustomSql use the same aliases.
   * @default {}
   */
  readonly references?: Readonly<Record<string, string>>;
  /** The instant `now()` and DataFreshness measure from. @default the current time */
  readonly now?: Date;
  /** The time zone the dataset's timestamps are wall-clock times in, so `now()` is read there. @default 'UTC' */
  readonly timeZone?: string;
  /**
   * Column combinations whose non-NULL values the step that wrote the dataset makes unique by construction, each with
   * the evidence (what guarantees it and which test holds it). `IsPrimaryKey` over exactly such a combination (no
   * `where`) still measures completeness, but takes uniqueness from the guarantee instead of grouping every key, and
   * its result says so in `EvaluationMessage`, PASS included. Glue Data Quality, which evaluates the same ruleset,
   * measures it. @default []
   */
  readonly uniqueByConstruction?: readonly UniqueKeyGuarantee[];
}

/** A column combination a step makes unique by construction, and the evidence. */
export interface UniqueKeyGuarantee {
  /** The columns, as the rules name them. */
  readonly columns: readonly string[];
  /** Why they are unique: the step, the mechanism and the test that holds it. Names only, never a value. */
  readonly evidence: string;
}

/** A column of a view as the engine describes it. */
export interface ColumnInfo {
  readonly name: string;
  /** The engine's type name, upper case (`VARCHAR`, `DECIMAL(18,2)`). */
  readonly type: string;
}

/** What every rule evaluator works with. @internal */
export interface EvaluationContext {
  readonly engine: SqlEngine;
  /** The quoted name of the view under test. */
  readonly view: string;
  readonly references: Readonly<Record<string, string>>;
  /** `now()` as a wall-clock time in the dataset's time zone, held in a Date's UTC fields. */
  readonly wallClock: Date;
  /** The columns of a view (the one under test when no name is given). */
  schema(view?: string): Promise<readonly ColumnInfo[]>;
  /** The guarantee that exactly these columns (in any order) are unique by construction, if the caller gave one. */
  uniqueGuarantee(columns: readonly string[]): UniqueKeyGuarantee | undefined;
}

/** Checks the options and builds the context rules are evaluated in. @internal */
export function createEvaluationContext(options: EvaluateRulesetOptions): EvaluationContext {
  const view = options.view ?? DEFAULT_TARGET_VIEW;
  for (const name of [view, ...Object.values(options.references ?? {})]) {
    if (!PLAIN_IDENTIFIER.test(name)) throw new DqOptionsError(`'${name}' is not a plain view name ([A-Za-z_][A-Za-z0-9_]*)`);
  }
  const schemas = new Map<string, Promise<readonly ColumnInfo[]>>();
  const engine = options.engine;
  return {
    engine,
    view,
    references: options.references ?? {},
    wallClock: wallClockIn(options.now ?? new Date(), options.timeZone ?? 'UTC'),
    uniqueGuarantee(columns) {
      const wanted = [...columns].sort().join('\u0000');
      return (options.uniqueByConstruction ?? []).find((guarantee) => [...guarantee.columns].sort().join('\u0000') === wanted);
    },
    schema(name = view) {
      let schema = schemas.get(name);
      if (!schema) {
        schema = describeView(engine, name);
        schemas.set(name, schema);
      }
      return schema;
    },
  };
}

/** The columns of a view, read with `DESCRIBE` (DuckDB's `column_name`/`column_type`, Spark's `col_name`/`data_type`). */
async function describeView(engine: SqlEngine, view: string): Promise<readonly ColumnInfo[]> {
  const rows = await engine.query(`DESCRIBE ${view}`);
  return rows.map((row) => ({
    name: String(row['column_name'] ?? row['col_name'] ?? ''),
    type: String(row['column_type'] ?? row['data_type'] ?? '').toUpperCase(),
  }));
}

/** The column a rule names, quoted for SQL; a column the view lacks is an evaluation error, not a failure. @internal */
export async function requireColumn(context: EvaluationContext, column: string, view = context.view): Promise<ColumnInfo & { readonly sql: string }> {
  const schema = await context.schema(view);
  const found = schema.find((candidate) => candidate.name === column) ?? schema.find((candidate) => candidate.name.toLowerCase() === column.toLowerCase());
  if (!found) throw new RuleEvaluationError(`column '${column}' does not exist in ${view === context.view ? 'the dataset' : `the reference view '${view}'`}`);
  return { ...found, sql: quoteIdentifier(found.name) };
}

/** The view registered for a reference dataset alias. @internal */
export function referenceView(context: EvaluationContext, alias: string): string {
  const view = context.references[alias];
  if (view === undefined) {
    const known = Object.keys(context.references);
    throw new RuleEvaluationError(`reference dataset '${alias}' is not registered${known.length > 0 ? ` (registered: ${known.join(', ')})` : ''}`);
  }
  return view;
}

/** `now` as the wall-clock time in `timeZone`, kept in a Date's UTC fields so it prints as a naive timestamp. */
function wallClockIn(now: Date, timeZone: string): Date {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(now);
  } catch (error) {
    throw new DqOptionsError(`'${timeZone}' is not a time zone`, { cause: error });
  }
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((candidate) => candidate.type === type)?.value ?? 0);
  return new Date(Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second')));
}
