import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbSqlEngine } from '@cur/adapters-local';
import { buildTokenMap, joinTokenMaps } from '../../src/steps/token-map';

let engine: DuckDbSqlEngine;
beforeEach(async () => {
  engine = await DuckDbSqlEngine.open({ threads: 2 });
  // 1000 rows in a known order, 97 distinct values of a, 10 of b, and nulls in both.
  await engine.execute(
    "CREATE TABLE rows_in AS SELECT i AS n, CASE WHEN i % 50 = 0 THEN NULL ELSE 'a' || (i * 31 % 97) END AS a, CASE WHEN i % 7 = 0 THEN NULL ELSE 'b' || (i % 10) END AS b FROM range(1000) r(i) ORDER BY i",
  );
});
afterEach(() => engine.close());

describe('buildTokenMap and joinTokenMaps', () => {
  it('replace each value by its own token across many small chunks, keep nulls and the rows’ order, and leave only the token tables', async () => {
    // Prepare: a conversion JavaScript can check, called with at most 8 values at a time.
    const calls: number[] = [];
    const convert = (values: string[]): Promise<string[]> => (calls.push(values.length), Promise.resolve(values.map((value) => `token(${value})`)));

    // Act
    await buildTokenMap(engine, 'rows_in', 'a', 'tokens_a', convert, 8);
    await buildTokenMap(engine, 'rows_in', 'b', 'tokens_b', convert, 8);
    const counts = await joinTokenMaps(engine, {
      source: 'rows_in',
      target: 'rows_out',
      select: [['s.n', 'n'], ['s.a', 'a'], ['s.b', 'b'], ['s.a', 'a_before']],
      tokenMaps: new Map([['a', 'tokens_a'], ['b', 'tokens_b']]),
      orderBy: 'n',
    });

    // Assess
    expect(calls.every((size) => size <= 8)).toBe(true);
    expect(calls.reduce((sum, size) => sum + size, 0)).toBe(97 + 10);
    const rows = await engine.query('SELECT n, a, b, a_before FROM rows_out');
    const source = await engine.query('SELECT n, a, b FROM rows_in');
    expect(rows.map((row) => row['n'])).toEqual(source.map((row) => row['n']));
    rows.forEach((row, i) => {
      const before = source[i] ?? {};
      expect(row['a']).toBe(before['a'] === null ? null : `token(${String(before['a'])})`);
      expect(row['b']).toBe(before['b'] === null ? null : `token(${String(before['b'])})`);
      expect(row['a_before']).toBe(before['a']);
    });
    expect(counts.get('a')).toEqual({ present: 980, replaced: 980 });
    const tables = await engine.query('SELECT table_name FROM information_schema.tables ORDER BY table_name');
    expect(tables.map((row) => row['table_name'])).toEqual(['rows_in', 'rows_out', 'tokens_a', 'tokens_b']);
  });

  it('report fewer replaced than present when a value has no token, so the caller can refuse to publish', async () => {
    await buildTokenMap(engine, 'rows_in', 'b', 'tokens_b', (values) => Promise.resolve(values.map((value, i) => (i === 0 ? null : value))), 4);
    const counts = await joinTokenMaps(engine, { source: 'rows_in', target: 'rows_out', select: [['s.n', 'n'], ['s.b', 'b']], tokenMaps: new Map([['b', 'tokens_b']]), orderBy: 'n' });
    const { present, replaced } = counts.get('b') ?? { present: 0, replaced: 0 };
    expect(present).toBe(857);
    expect(replaced).toBeLessThan(present);
  });
});
