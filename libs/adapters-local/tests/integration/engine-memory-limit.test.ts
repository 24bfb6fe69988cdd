import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbSqlEngine, engineMemoryLimitFromEnv } from '../../src/index';

let root: string;
beforeEach(async () => (root = await mkdtemp(join(tmpdir(), 'cur-memory-limit-'))));
afterEach(async () => rm(root, { recursive: true, force: true }));

describe('DuckDbSqlEngine under CUR_MEMORY_LIMIT', () => {
  it('holds a table larger than its memory limit by spilling to its temp folder, then sorts it, without failing', async () => {
    // Prepare: 128 MiB for the engine (the least accepted); 3M rows of 40-character text (over 128 MiB of values)
    const spill = join(root, 'duckdb-spill');
    const engine = await DuckDbSqlEngine.open({ threads: 1, memoryLimit: engineMemoryLimitFromEnv({ CUR_MEMORY_LIMIT: '128MiB' }), tempDirectory: spill });
    try {
      expect(await engine.query("SELECT current_setting('memory_limit') AS limit")).toEqual([{ limit: '128.0 MiB' }]);
      // Act
      await engine.execute("CREATE TABLE big AS SELECT i, md5(i::VARCHAR) || lpad(i::VARCHAR, 8, '0') AS text FROM range(3000000) t(i)");
      const spilled = await engine.query('SELECT COALESCE(SUM(size), 0)::BIGINT AS bytes, COUNT(*)::INTEGER AS files FROM duckdb_temporary_files()');
      const [held] = await engine.query('SELECT (SUM(strlen(text)) + 8 * COUNT(*))::BIGINT AS bytes FROM big');
      const out = join(root, 'sorted.parquet');
      await engine.execute(`COPY (SELECT * FROM big ORDER BY text) TO '${out}' (FORMAT PARQUET)`);
      await engine.execute('DROP TABLE big');
      // Assess: what did not fit went to the temp folder, and the sort finished with every row
      expect(Number(held?.['bytes'])).toBeGreaterThan(128 * 2 ** 20);
      expect(Number(spilled[0]?.['bytes'])).toBeGreaterThan(0);
      expect(Number(spilled[0]?.['files'])).toBeGreaterThan(0);
      // The distinct values as the mask step reads them (a grouping, which spills; COUNT(DISTINCT) would not)
      expect(await engine.query(`SELECT COUNT(*)::INTEGER AS d FROM (SELECT DISTINCT text FROM read_parquet('${out}'))`)).toEqual([{ d: 3000000 }]);
    } finally {
      await engine.close();
    }
  }, 180_000);
});
