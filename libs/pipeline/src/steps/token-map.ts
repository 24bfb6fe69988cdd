import type { SqlEngine } from '@cur/platform';
import { CurError } from '@cur/platform';

/**
 * Distinct values handed to JavaScript at a time: bounds what a step holds outside the engine, whatever the batch's
 * size (half a million values are some 50 MB of strings with their tokens).
 */
export const DISTINCT_CHUNK = 500_000;

/**
 * Source rows joined and sorted at a time by {@link tokenColumnsInParts}: bounds the sort's spill (a few hundred MB
 * of narrow rows) whatever the batch's size.
 */
export const TOKEN_JOIN_PART_ROWS = 4_000_000;

/**
 * Builds `tokensTable (v, t)`: each distinct non-null value of `column` in `source` with what `convert` makes of it,
 * {@link DISTINCT_CHUNK} values at a time. The engine numbers the distinct values (spilling when it must), JavaScript
 * converts one range of them, the engine joins that range's results back by position. Nothing else is kept between
 * chunks, so JavaScript never holds a whole column.
 *
 * With `extend`, an existing `tokensTable` is kept and only the values it does not hold yet are converted and added:
 * the mask step's parts of one batch share one table, so a value seen in an earlier part is not masked again.
 *
 * @param convert - one result per value, in order (a masker's tokens, a re-tokenisation)
 * @param chunk - values per call of `convert`. @default {@link DISTINCT_CHUNK}
 * @param extend - add to `tokensTable` when it exists instead of replacing it. @default false
 */
export async function buildTokenMap(
  engine: SqlEngine,
  source: string,
  column: string,
  tokensTable: string,
  convert: (values: string[]) => Promise<readonly (string | null)[]>,
  chunk: number = DISTINCT_CHUNK,
  extend = false,
): Promise<void> {
  const [distinctTable, chunkView, chunkTokens] = ['distinct', 'chunk', 'chunk_tokens'].map((kind) => `${tokensTable}_${kind}`) as [string, string, string];
  try {
    await engine.execute(extend ? `CREATE TABLE IF NOT EXISTS ${tokensTable} (v VARCHAR, t VARCHAR)` : `CREATE OR REPLACE TABLE ${tokensTable} (v VARCHAR, t VARCHAR)`);
    const known = extend ? ` AND ${column} NOT IN (SELECT v FROM ${tokensTable})` : '';
    await engine.execute(`CREATE OR REPLACE TABLE ${distinctTable} AS SELECT v, row_number() OVER () AS position FROM (SELECT DISTINCT ${column} AS v FROM ${source} WHERE ${column} IS NOT NULL${known})`);
    const [row] = await engine.query(`SELECT count(*) AS n FROM ${distinctTable}`);
    const total = Number(row?.['n'] ?? 0);
    for (let from = 0; from < total; from += chunk) {
      const to = from + chunk;
      await engine.execute(`CREATE OR REPLACE VIEW ${chunkView} AS SELECT v, position FROM ${distinctTable} WHERE position > ${from} AND position <= ${to}`);
      const values = (await engine.readColumn(chunkView, 'v', 'position')) as string[];
      // Positions 1..n of this chunk's results are positions from+1..from+n of the distinct values.
      await engine.loadColumn(chunkTokens, await convert(values));
      await engine.execute(`INSERT INTO ${tokensTable} SELECT d.v, c.value FROM ${distinctTable} d JOIN ${chunkTokens} c ON d.position = c.position + ${from} WHERE d.position > ${from} AND d.position <= ${to}`);
    }
  } finally {
    await engine.execute(`DROP VIEW IF EXISTS ${chunkView}`).catch(() => undefined);
    for (const table of [chunkTokens, distinctTable]) await engine.execute(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
  }
}

/** What {@link tokenColumnsInParts} writes. */
export interface PartedTokenJoin {
  /** The table with the values, in source order: its `rowid` is the row's position. */
  readonly source: string;
  /**
   * The table created as `(rowNumber BIGINT, <each mapped column> VARCHAR)`, one row per source row, in its order;
   * with {@link columnAtATime}, the prefix of one such table per column ({@link tokenTables}).
   */
  readonly target: string;
  /** The target's column holding `rowid + 1` (`source_row`). */
  readonly rowNumber: string;
  /** The columns to replace, each with its `(v, t)` table from {@link buildTokenMap}. */
  readonly tokenMaps: ReadonlyMap<string, string>;
  /** The source's rows. */
  readonly rows: number;
  /** Source rows per part. @default {@link TOKEN_JOIN_PART_ROWS} */
  readonly partRows?: number;
  /**
   * The rows before the source's first in the whole batch: its row `rowid` gets row number `firstRow + rowid + 1`
   * (the mask step's later parts of a batch). @default 0
   */
  readonly firstRow?: number;
  /**
   * Join each column in a statement of its own, into a table of its own: one hash join at a time, which DuckDB
   * spills. Several joins in one statement need every token map's hash table at once (measured: seven maps of 1M
   * values ran out at 160MiB, one at a time passed). @default false (one statement for all columns)
   */
  readonly columnAtATime?: boolean;
}

/** One table {@link tokenColumnsInParts} writes: its name, its alias in the positional selects, its token columns. */
export interface TokenTable {
  readonly table: string;
  readonly alias: string;
  readonly columns: readonly string[];
}

/** The tables {@link tokenColumnsInParts} writes for `join`: `target` (alias `t`), or one per column (`t0`, `t1`, ...). */
export function tokenTables(join: Pick<PartedTokenJoin, 'target' | 'tokenMaps' | 'columnAtATime'>): TokenTable[] {
  const columns = [...join.tokenMaps.keys()];
  if (!join.columnAtATime || columns.length === 0) return [{ table: join.target, alias: 't', columns }];
  return columns.map((column, i) => ({ table: `${join.target}_c${i}`, alias: `t${i}`, columns: [column] }));
}

/**
 * Creates the token tables ({@link tokenTables}) with only the row number and the token of each mapped column, one
 * part of the source's rows at a time (each part joined and sorted on its own, parts appended in order), so the sort
 * that keeps file order holds one part's narrow rows, not the whole batch's; returns, per mapped column, the non-null
 * values before and after (equal unless a value had no token: the caller refuses to publish then). The caller puts
 * the rows back together with {@link positionalTokenSelect} or {@link positionalPieceFrom}. A join, not an in-place
 * UPDATE: DuckDB keeps an UPDATE's changes in memory (measured: 4M rows ran out at 256MiB) while joins and sorts spill.
 */
export async function tokenColumnsInParts(engine: SqlEngine, join: PartedTokenJoin): Promise<Map<string, { present: number; replaced: number }>> {
  const columns = [...join.tokenMaps.keys()];
  const partRows = join.partRows ?? TOKEN_JOIN_PART_ROWS;
  const tables = tokenTables(join);
  const rowNumber = `CAST(s.rowid + ${1 + (join.firstRow ?? 0)} AS BIGINT) AS ${join.rowNumber}`;
  for (const { table, columns: joined } of tables) {
    const alias = new Map(joined.map((column, i) => [column, `m${i}`]));
    const tokens = joined.map((column) => `${alias.get(column) ?? ''}.t AS ${column}`);
    const joins = joined.map((column) => `LEFT JOIN ${join.tokenMaps.get(column) ?? ''} ${alias.get(column) ?? ''} ON s.${column} = ${alias.get(column) ?? ''}.v`).join(' ');
    await engine.execute(`CREATE OR REPLACE TABLE ${table} (${[`${join.rowNumber} BIGINT`, ...joined.map((column) => `${column} VARCHAR`)].join(', ')})`);
    for (let from = 0; from < join.rows; from += partRows) {
      await engine.execute(`INSERT INTO ${table} SELECT ${[rowNumber, ...tokens].join(', ')} FROM ${join.source} s ${joins} WHERE s.rowid >= ${from} AND s.rowid < ${from + partRows} ORDER BY ${join.rowNumber}`);
    }
  }
  const counts = new Map<string, { present: number; replaced: number }>();
  const countSql = (of: readonly string[]): string => `count(*) AS rows__${of.map((column) => `, count(${column}) AS ${column}`).join('')}`;
  const [before] = await engine.query(`SELECT ${countSql(columns)} FROM ${join.source}`);
  const after: Record<string, unknown> = {};
  for (const { table, columns: joined } of tables) {
    const [row] = await engine.query(`SELECT ${countSql(joined)} FROM ${table}`);
    if (Number(before?.['rows__']) !== join.rows || Number(row?.['rows__']) !== join.rows) {
      throw new CurError('TOKEN_JOIN_INCOMPLETE', `${table}: ${join.rows} rows expected, the source has ${Number(before?.['rows__'])} and the token columns ${Number(row?.['rows__'])}; nothing was written`);
    }
    Object.assign(after, row);
  }
  for (const column of columns) counts.set(column, { present: Number(before?.[column]), replaced: Number(after[column]) });
  return counts;
}

/**
 * The SELECT list that puts {@link tokenColumnsInParts}' token columns back beside the source's other columns, row by
 * row (`FROM <source> s POSITIONAL JOIN <target> t`, or {@link positionalWholeFrom}'s clause): the tables are read in
 * their order, and a row whose number is not its source position in every token table stops the query (DuckDB's
 * `error`) rather than pair a token with another row.
 *
 * @param columns - the output columns after the row number, in order; mapped ones come from the token tables, the others from `s`
 * @param position - the source row's position: `s.rowid` when `s` is the table itself, a column a subquery carried it in
 */
export function positionalTokenSelect(join: Pick<PartedTokenJoin, 'target' | 'rowNumber' | 'tokenMaps' | 'firstRow' | 'columnAtATime'>, columns: readonly string[], position = 's.rowid'): string {
  const tables = tokenTables(join);
  const first = tables[0]?.alias ?? 't';
  const aligned = tables.map(({ alias }) => `${alias}.${join.rowNumber} = ${position} + ${1 + (join.firstRow ?? 0)}`).join(' AND ');
  const rowNumber = `CASE WHEN ${aligned} THEN ${first}.${join.rowNumber} ELSE error('TOKEN_JOIN_MISALIGNED: a token row is not at its source position') END AS ${join.rowNumber}`;
  const aliasOf = new Map(tables.flatMap(({ alias, columns: joined }) => joined.map((column) => [column, alias] as const)));
  return [rowNumber, ...columns.map((column) => `${aliasOf.get(column) ?? 's'}.${column} AS ${column}`)].join(', ');
}

/** The FROM clause of {@link positionalTokenSelect} over the whole source: it and every token table side by side. */
export function positionalWholeFrom(join: Pick<PartedTokenJoin, 'source' | 'target' | 'tokenMaps' | 'columnAtATime'>): string {
  return [`${join.source} s`, ...tokenTables(join).map(({ table, alias }) => `POSITIONAL JOIN ${table} ${alias}`)].join(' ');
}

/** The column a {@link positionalPieceFrom} source carries its rows' positions in. */
const PIECE_POSITION = 'position__';

/**
 * The FROM clause and row check of one piece of rows, `from` to `to` (exclusive) of the source, beside its token
 * rows: each side filtered to the piece (DuckDB prunes a table's row groups on `rowid` and on the sorted row numbers'
 * min/max), then put side by side as {@link positionalTokenSelect} does for whole tables.
 *
 * @returns `from` (after FROM) and `select` (the SELECT list)
 */
export function positionalPieceFrom(join: Omit<PartedTokenJoin, 'rows'>, columns: readonly string[], from: number, to: number): { from: string; select: string } {
  const first = 1 + (join.firstRow ?? 0);
  const tokenSides = tokenTables(join).map(({ table, alias }) => `POSITIONAL JOIN (SELECT * FROM ${table} WHERE ${join.rowNumber} >= ${from + first} AND ${join.rowNumber} < ${to + first}) ${alias}`);
  return {
    from: [`(SELECT rowid AS ${PIECE_POSITION}, * FROM ${join.source} WHERE rowid >= ${from} AND rowid < ${to}) s`, ...tokenSides].join(' '),
    select: positionalTokenSelect(join, columns, `s.${PIECE_POSITION}`),
  };
}
