import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbSqlEngine } from '@cur/adapters-local';
import { buildTokenMap, positionalPieceFrom, positionalTokenSelect, positionalWholeFrom, tokenColumnsInParts, tokenTables } from '../../src/steps/token-map';

let engine: DuckDbSqlEngine;
beforeEach(async () => {
  engine = await DuckDbSqlEngine.open({ threads: 2 });
  // 1000 rows in a known order, 97 distinct values of a, 10 of b, and nulls in both.
  await engine.execute(
    "CREATE TABLE rows_in AS SELECT i AS n, CASE WHEN i % 50 = 0 THEN NULL ELSE 'a' || (i * 31 % 97) END AS a, CASE WHEN i % 7 = 0 THEN NULL ELSE 'b' || (i % 10) END AS b FROM range(1000) r(i) ORDER BY i",
  );
});
afterEach(() => engine.close());

describe('buildTokenMap', () => {
  it('converts each distinct value once across many small chunks, and leaves only the token tables', async () => {
    // Prepare: a conversion JavaScript can check, called with at most 8 values at a time.
    const calls: number[] = [];
    const convert = (values: string[]): Promise<string[]> => (calls.push(values.length), Promise.resolve(values.map((value) => `token(${value})`)));

    // Act
    await buildTokenMap(engine, 'rows_in', 'a', 'tokens_a', convert, 8);
    await buildTokenMap(engine, 'rows_in', 'b', 'tokens_b', convert, 8);

    // Assess
    expect(calls.every((size) => size <= 8)).toBe(true);
    expect(calls.reduce((sum, size) => sum + size, 0)).toBe(97 + 10);
    const [pairs] = await engine.query("SELECT count(*) AS n, count(*) FILTER (WHERE t = 'token(' || v || ')') AS own FROM tokens_a");
    expect(pairs).toEqual({ n: '97', own: '97' });
    const tables = await engine.query('SELECT table_name FROM information_schema.tables ORDER BY table_name');
    expect(tables.map((row) => row['table_name'])).toEqual(['rows_in', 'tokens_a', 'tokens_b']);
  });
});

describe('tokenColumnsInParts and positionalTokenSelect', () => {
  it('join the tokens a part at a time and put them back beside the other columns in the source order', async () => {
    // Prepare: token tables for a and b, and parts of 64 rows, so the 1000 rows take 16 parts.
    const convert = (values: string[]): Promise<string[]> => Promise.resolve(values.map((value) => `token(${value})`));
    await buildTokenMap(engine, 'rows_in', 'a', 'tokens_a', convert, 8);
    await buildTokenMap(engine, 'rows_in', 'b', 'tokens_b', convert, 8);
    const join = { source: 'rows_in', target: 'token_rows', rowNumber: 'source_row', tokenMaps: new Map([['a', 'tokens_a'], ['b', 'tokens_b']]), rows: 1000, partRows: 64 };

    // Act
    const counts = await tokenColumnsInParts(engine, join);
    const rows = await engine.query(`SELECT ${positionalTokenSelect(join, ['n', 'a', 'b'])} FROM rows_in s POSITIONAL JOIN token_rows t`);

    // Assess: every row in file order, each value replaced by its own token, nulls kept.
    const source = await engine.query('SELECT n, a, b FROM rows_in');
    expect(rows.map((row) => Number(row['source_row']))).toEqual(source.map((_row, i) => i + 1));
    rows.forEach((row, i) => {
      const before = source[i] ?? {};
      expect(row['n']).toBe(before['n']);
      expect(row['a']).toBe(before['a'] === null ? null : `token(${String(before['a'])})`);
      expect(row['b']).toBe(before['b'] === null ? null : `token(${String(before['b'])})`);
    });
    expect(counts.get('a')).toEqual({ present: 980, replaced: 980 });
    expect(counts.get('b')).toEqual({ present: 857, replaced: 857 });
  });

  it('join one column at a time into tables of their own: the same rows, and a lost row in any one of them stops the select', async () => {
    const convert = (values: string[]): Promise<string[]> => Promise.resolve(values.map((value) => `token(${value})`));
    await buildTokenMap(engine, 'rows_in', 'a', 'tokens_a', convert, 8);
    await buildTokenMap(engine, 'rows_in', 'b', 'tokens_b', convert, 8);
    const together = { source: 'rows_in', target: 'token_rows', rowNumber: 'source_row', tokenMaps: new Map([['a', 'tokens_a'], ['b', 'tokens_b']]), rows: 1000, partRows: 64 };
    const apart = { ...together, target: 'apart_rows', columnAtATime: true };

    const counts = [await tokenColumnsInParts(engine, together), await tokenColumnsInParts(engine, apart)];
    const [one, each] = [
      await engine.query(`SELECT ${positionalTokenSelect(together, ['n', 'a', 'b'])} FROM ${positionalWholeFrom(together)}`),
      await engine.query(`SELECT ${positionalTokenSelect(apart, ['n', 'a', 'b'])} FROM ${positionalWholeFrom(apart)}`),
    ];

    expect(tokenTables(apart).map((table) => table.table)).toEqual(['apart_rows_c0', 'apart_rows_c1']);
    expect(each).toEqual(one);
    expect(counts[1]).toEqual(counts[0]);
    await engine.execute('DELETE FROM apart_rows_c1 WHERE source_row = 500');
    const select = engine.query(`SELECT ${positionalTokenSelect(apart, ['n', 'a', 'b'])} FROM ${positionalWholeFrom(apart)}`);
    await expect(select.catch((error: Error) => String((error.cause as Error | undefined)?.message))).resolves.toMatch(/TOKEN_JOIN_MISALIGNED/);
  });

  it('stop the positional select when a token row is not at its source position', async () => {
    await buildTokenMap(engine, 'rows_in', 'b', 'tokens_b', (values) => Promise.resolve(values.map((value) => `token(${value})`)), 4);
    const join = { source: 'rows_in', target: 'token_rows', rowNumber: 'source_row', tokenMaps: new Map([['b', 'tokens_b']]), rows: 1000, partRows: 100 };
    await tokenColumnsInParts(engine, join);
    // One row lost from the token rows shifts every later row by one.
    await engine.execute('DELETE FROM token_rows WHERE source_row = 500');

    const select = engine.query(`SELECT ${positionalTokenSelect(join, ['n', 'b'])} FROM rows_in s POSITIONAL JOIN token_rows t`);

    await expect(select).rejects.toThrow(/could not run a query/);
    await expect(select.catch((error: Error) => String((error.cause as Error | undefined)?.message))).resolves.toMatch(/TOKEN_JOIN_MISALIGNED/);
  });

  it('put a piece of rows beside its own token rows, and stop a piece whose token rows are not at their positions', async () => {
    await buildTokenMap(engine, 'rows_in', 'b', 'tokens_b', (values) => Promise.resolve(values.map((value) => `token(${value})`)), 4);
    const join = { source: 'rows_in', target: 'token_rows', rowNumber: 'source_row', tokenMaps: new Map([['b', 'tokens_b']]), rows: 1000, partRows: 100, firstRow: 2000 };
    await tokenColumnsInParts(engine, join);
    const pieceOf = (from: number, to: number): Promise<Record<string, unknown>[]> => {
      const piece = positionalPieceFrom(join, ['n', 'b'], from, to);
      return engine.query(`SELECT ${piece.select} FROM ${piece.from}`);
    };

    const [pieces, whole] = [await Promise.all([pieceOf(0, 300), pieceOf(300, 700), pieceOf(700, 1000)]), await engine.query(`SELECT ${positionalTokenSelect(join, ['n', 'b'])} FROM rows_in s POSITIONAL JOIN token_rows t`)];
    expect(pieces.map((rows) => rows.length)).toEqual([300, 400, 300]);
    expect(pieces.flat()).toEqual(whole);
    expect(Number(pieces[1]?.[0]?.['source_row'])).toBe(2301);

    await engine.execute('DELETE FROM token_rows WHERE source_row = 2500');
    await expect(pieceOf(300, 700).catch((error: Error) => String((error.cause as Error | undefined)?.message))).resolves.toMatch(/TOKEN_JOIN_MISALIGNED/);
  });

  it('refuse a source with other rows than expected, and report fewer replaced than present when a value has no token', async () => {
    await buildTokenMap(engine, 'rows_in', 'b', 'tokens_b', (values) => Promise.resolve(values.map((value, i) => (i === 0 ? null : value))), 4);
    const tokenMaps = new Map([['b', 'tokens_b']]);
    await expect(tokenColumnsInParts(engine, { source: 'rows_in', target: 'token_rows', rowNumber: 'source_row', tokenMaps, rows: 999 })).rejects.toMatchObject({ code: 'TOKEN_JOIN_INCOMPLETE' });
    const counts = await tokenColumnsInParts(engine, { source: 'rows_in', target: 'token_rows', rowNumber: 'source_row', tokenMaps, rows: 1000 });
    const { present, replaced } = counts.get('b') ?? { present: 0, replaced: 0 };
    expect(present).toBe(857);
    expect(replaced).toBeLessThan(present);
  });
});
