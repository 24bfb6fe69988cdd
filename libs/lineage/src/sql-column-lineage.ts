import { LineageDerivationError } from './errors';

/**
 * DuckDB's parse tree of one SQL statement, as `json_serialize_sql` returns it (`statements[0].node`). Read loosely:
 * only the node and expression kinds below are understood, and anything else stops the derivation with an error
 * naming it, so a query this reader cannot follow never gives a silently wrong lineage.
 */
export type SqlParseTree = Readonly<Record<string, unknown>>;

/** A relation a plan's SQL reads by name: a dataset's published files, with the columns the contract declares. */
export interface LineageRelation {
  /** The view name the SQL uses, e.g. `t_account_balance`. */
  readonly name: string;
  /** The dataset whose files the view holds. */
  readonly dataset: string;
  readonly columns: readonly string[];
}

/** One query of a plan whose columns get lineage, or a temporary view another query reads. */
export interface LineageQuery {
  readonly name: string;
  readonly tree: SqlParseTree;
}

/** What a plan's SQL reads and computes: inputs, temporary views (in order), and the outputs to derive. */
export interface SqlLineagePlan {
  readonly relations: readonly LineageRelation[];
  readonly views: readonly LineageQuery[];
  readonly outputs: readonly LineageQuery[];
}

/** A column of an input dataset. */
export interface SourceColumn {
  readonly dataset: string;
  readonly column: string;
}

/** The lineage of one output column: the input columns its value is computed from, and whether it is one of them as is. */
export interface DerivedColumn {
  readonly output: string;
  readonly column: string;
  readonly upstreams: readonly SourceColumn[];
  /** True when the value is an input column's value unchanged at every hop (a token stays the same token). */
  readonly copy: boolean;
}

interface Col {
  readonly name: string;
  readonly sources: ReadonlySet<string>; // `${dataset}\u0000${column}`
  readonly copy: boolean;
}

interface Scope {
  readonly alias: string;
  readonly columns: readonly Col[];
}

type Node = Readonly<Record<string, unknown>>;
type Env = ReadonlyMap<string, readonly Col[]>;

/**
 * The column-level lineage of a plan's outputs, read from the SQL itself: each output column's value expression is
 * followed through CTEs, subqueries, joins, unions and the plan's views down to the input datasets' columns. Columns
 * a value only depends on through a filter, a join condition or a grouping are not its lineage; a constant or
 * `COUNT(*)` has none.
 *
 * @param plan - the plan's inputs, views and outputs, each SQL parsed by DuckDB (`json_serialize_sql`)
 * @returns one entry per output column with at least one input column upstream, in output and column order
 * @throws LineageDerivationError when the SQL names a relation or column the plan does not have, or uses a construct
 *   this reader does not follow (a subquery in an expression, a table function)
 * @example
 * deriveSqlColumnLineage({ relations: [{ name: 't', dataset: 'account_balance', columns: ['balance'] }], views: [], outputs: [{ name: 'x', tree }] });
 */
export function deriveSqlColumnLineage(plan: SqlLineagePlan): DerivedColumn[] {
  const base = new Map<string, readonly Col[]>();
  for (const relation of plan.relations) {
    base.set(relation.name.toLowerCase(), relation.columns.map((column) => ({ name: column, sources: new Set([key(relation.dataset, column)]), copy: true })));
  }
  for (const view of plan.views) base.set(view.name.toLowerCase(), queryColumns(view.tree, base, view.name));
  return plan.outputs.flatMap((output) =>
    queryColumns(output.tree, base, output.name)
      .filter((column) => column.sources.size > 0)
      .map((column) => ({ output: output.name, column: column.name, upstreams: [...column.sources].sort().map(unkey), copy: column.copy })),
  );
}

const key = (dataset: string, column: string): string => `${dataset}\u0000${column}`;
const unkey = (value: string): SourceColumn => {
  const [dataset = '', column = ''] = value.split('\u0000');
  return { dataset, column };
};

const obj = (value: unknown, where: string): Node => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new LineageDerivationError(`${where}: expected a parse-tree node`);
  return value as Node;
};
const list = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function queryColumns(tree: SqlParseTree, env: Env, where: string): Col[] {
  const node = obj(tree, where);
  const local = new Map(env);
  for (const entry of list(obj(node['cte_map'] ?? { map: [] }, where)['map'])) {
    const cte = obj(entry, where);
    const value = obj(cte['value'], where);
    const name = text(cte['key']);
    const columns = queryColumns(obj(obj(value['query'], where)['node'], where), local, `${where}, CTE ${name}`);
    local.set(name.toLowerCase(), renamed(columns, list(value['aliases']).map(text)));
  }
  if (node['type'] === 'SET_OPERATION_NODE') {
    const left = queryColumns(obj(node['left'], where), local, where);
    const right = queryColumns(obj(node['right'], where), local, where);
    return left.map((column, index) => {
      const other = right[index];
      return { name: column.name, sources: new Set([...column.sources, ...(other?.sources ?? [])]), copy: column.copy && (other?.copy ?? true) };
    });
  }
  if (node['type'] !== 'SELECT_NODE') throw new LineageDerivationError(`${where}: query node '${text(node['type'])}' is not followed`);
  const scopes = fromScopes(node['from_table'], local, where);
  const columns: Col[] = [];
  for (const item of list(node['select_list'])) {
    const expression = obj(item, where);
    if (expression['class'] === 'STAR') {
      const relation = text(expression['relation_name']).toLowerCase();
      const excluded = new Set(list(expression['exclude_list']).map((e) => (typeof e === 'string' ? e : text(obj(e, where)['column_name']))).map((e) => e.toLowerCase()));
      const from = relation === '' ? scopes : scopes.filter((scope) => scope.alias === relation);
      if (relation !== '' && from.length === 0) throw new LineageDerivationError(`${where}: ${relation}.* names no relation of the query`);
      columns.push(...from.flatMap((scope) => scope.columns).filter((column) => !excluded.has(column.name.toLowerCase())));
      continue;
    }
    const refs = columnRefs(expression, where);
    const resolved = refs.map((ref) => resolve(ref, scopes, columns, where));
    // An unnamed expression (a union's later branch, say) is known by its position, as DuckDB names it.
    const name = text(expression['alias']) || (expression['class'] === 'COLUMN_REF' ? (refs[0]?.at(-1) ?? '') : `col${columns.length}`);
    columns.push({ name, sources: new Set(resolved.flatMap((column) => [...column.sources])), copy: expression['class'] === 'COLUMN_REF' && (resolved[0]?.copy ?? false) });
  }
  return columns;
}

function renamed(columns: readonly Col[], aliases: readonly string[]): Col[] {
  return columns.map((column, index) => ({ ...column, name: aliases[index] ?? column.name }));
}

function fromScopes(table: unknown, env: Env, where: string): Scope[] {
  if (table === null || table === undefined) return [];
  const node = obj(table, where);
  const alias = text(node['alias']).toLowerCase();
  const aliases = list(node['column_name_alias']).map(text);
  switch (node['type']) {
    case 'EMPTY':
      return [];
    case 'BASE_TABLE': {
      const name = text(node['table_name']).toLowerCase();
      const columns = env.get(name);
      if (!columns) throw new LineageDerivationError(`${where}: reads '${name}', which is neither an input, a view nor a CTE of the plan`);
      return [{ alias: alias || name, columns: renamed(columns, aliases) }];
    }
    case 'SUBQUERY':
      return [{ alias, columns: renamed(queryColumns(obj(obj(node['subquery'], where)['node'], where), env, `${where}, subquery ${alias}`), aliases) }];
    case 'EXPRESSION_LIST': {
      // VALUES: constants, whose names are the column aliases (or DuckDB's col0, col1, ...).
      const width = list(list(node['values'])[0]).length;
      return [{ alias, columns: Array.from({ length: width }, (_, index) => ({ name: aliases[index] ?? `col${index}`, sources: new Set<string>(), copy: false })) }];
    }
    case 'JOIN':
      return [...fromScopes(node['left'], env, where), ...fromScopes(node['right'], env, where)];
    default:
      throw new LineageDerivationError(`${where}: FROM item '${text(node['type'])}' is not followed`);
  }
}

/** Every column an expression reads, as written (`[column]` or `[relation, column]`). */
function columnRefs(expression: unknown, where: string): string[][] {
  const found: string[][] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const node = value as Node;
    if (node['class'] === 'SUBQUERY') throw new LineageDerivationError(`${where}: a subquery inside an expression is not followed`);
    if (node['class'] === 'COLUMN_REF') {
      found.push(list(node['column_names']).map(text));
      return;
    }
    for (const child of Object.values(node)) visit(child);
  };
  visit(expression);
  return found;
}

function resolve(ref: readonly string[], scopes: readonly Scope[], selected: readonly Col[], where: string): Col {
  const column = (ref.at(-1) ?? '').toLowerCase();
  const relation = ref.length > 1 ? (ref.at(-2) ?? '').toLowerCase() : undefined;
  const candidates = scopes.filter((scope) => relation === undefined || scope.alias === relation);
  for (const scope of candidates) {
    const found = scope.columns.find((candidate) => candidate.name.toLowerCase() === column);
    if (found) return found;
  }
  // DuckDB lets a select list name an alias defined before it in the same list.
  const earlier = relation === undefined ? selected.find((candidate) => candidate.name.toLowerCase() === column) : undefined;
  if (earlier) return earlier;
  throw new LineageDerivationError(`${where}: column '${ref.join('.')}' is not in any relation the query reads`);
}
