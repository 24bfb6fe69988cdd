/**
 * SQL quoting and the few DuckDB functions the evaluator uses, in one place (`regexp_full_match`, `date_diff`,
 * `stddev_pop`, `DESCRIBE`). Rule text never reaches SQL except through these helpers, the `where` predicate and
 * CustomSql's statement, which are SQL by definition.
 * @internal
 */

/** A plain identifier: what a view name must be. */
export const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A column name as a quoted SQL identifier (`"col-A"`), so DQDL's free-form column names work. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A string literal. */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A finite number as a SQL DOUBLE literal. */
export function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError('a number in a rule must be finite');
  return `CAST(${String(value)} AS DOUBLE)`;
}

/** A wall-clock time as a TIMESTAMP literal (`TIMESTAMP '2026-11-25 08:00:00'`). */
export function timestampLiteral(wallClock: Date): string {
  return `TIMESTAMP '${wallClock.toISOString().slice(0, 19).replace('T', ' ')}'`;
}

/** A value read as text. */
export function asText(column: string): string {
  return `CAST(${column} AS VARCHAR)`;
}

/** A value read as a number; null when it is not one. */
export function asNumber(column: string): string {
  return `TRY_CAST(${column} AS DOUBLE)`;
}

/** A value read as a timestamp; null when it is not one. */
export function asTimestamp(column: string): string {
  return `TRY_CAST(${column} AS TIMESTAMP)`;
}

/** True when the whole of `text` matches `pattern` (DQDL's `matches` is a full match). */
export function fullMatch(text: string, pattern: string): string {
  return `regexp_full_match(${text}, ${quoteLiteral(pattern)})`;
}

/** Seconds from `from` to `to`. */
export function secondsBetween(from: string, to: string): string {
  return `date_diff('second', ${from}, ${to})`;
}

/** The rows a rule looks at: the view, or a subquery filtering it by the rule's `where` predicate. Alias it. */
export function rowsOf(view: string, where: string | undefined): string {
  return where === undefined ? view : `(SELECT * FROM ${view} WHERE (${where}))`;
}

/**
 * Replaces the table names of a CustomSql statement (`primary`, reference aliases) by view names, outside string
 * literals and quoted identifiers, matching whole words case-insensitively.
 */
export function bindTableNames(statement: string, names: Readonly<Record<string, string>>): string {
  const lookup = new Map(Object.entries(names).map(([alias, view]) => [alias.toLowerCase(), view]));
  let out = '';
  let i = 0;
  while (i < statement.length) {
    const char = statement[i] ?? '';
    if (char === "'" || char === '"') {
      let end = i + 1;
      while (end < statement.length) {
        if (statement[end] === char) {
          if (statement[end + 1] === char) end += 2;
          else break;
        } else end += 1;
      }
      out += statement.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(statement.slice(i));
    if (word) {
      const previous = statement[i - 1] ?? '';
      const replacement = previous === '.' ? undefined : lookup.get(word[0].toLowerCase());
      out += replacement ?? word[0];
      i += word[0].length;
      continue;
    }
    out += char;
    i += 1;
  }
  return out;
}
