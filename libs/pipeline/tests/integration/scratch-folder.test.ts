import { existsSync } from 'node:fs';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlEngine } from '@cur/platform';
import type { Runtime } from '@cur/runtime';
import { runPipeline, type PipelineRun } from '../../src/index';
import { engineWith, ingestedPlatform, pipelineDependencies } from '../helpers/pipeline-fixture';

/** The real engine, recording every local file it is told to read as CSV or to write as Parquet. */
function recording(engine: SqlEngine, paths: string[]): SqlEngine {
  return engineWith(engine, {
    execute: (sql) => {
      for (const match of sql.matchAll(/read_csv\('((?:[^']|'')*)'/g)) paths.push((match[1] ?? '').replaceAll("''", "'"));
      return engine.execute(sql);
    },
    writeParquet: (sql, file) => {
      paths.push(file);
      return engine.writeParquet(sql, file);
    },
    fork: async () => recording(await engine.fork(), paths),
  });
}

let runtime: Runtime;
let scratch: string;
let run: PipelineRun;
const paths: string[] = [];
const stale = { dir: '', file: '' };

beforeAll(async () => {
  // Prepare: an ingested platform (customer_profile and account_balance arrive in Big5), and a plaintext copy left
  // in the scratch folder by a mask step that was killed
  ({ runtime } = await ingestedPlatform({ customers: 150, days: 1, seed: 5 }));
  const deps = await pipelineDependencies(runtime);
  scratch = deps.scratchDir ?? '';
  stale.dir = join(scratch, 'mask-killed');
  stale.file = join(stale.dir, 'batch.csv');
  await mkdir(stale.dir, { recursive: true });
  await writeFile(stale.file, 'cust_id,cust_name\nA123456789,王小明\n');

  // Act
  try {
    run = await runPipeline({ ...deps, engine: recording(deps.engine, paths) });
  } finally {
    await deps.engine.close();
  }
}, 120_000);
afterAll(() => runtime.close());

describe('the pipeline scratch folder', () => {
  it('is swept at the start of a run: a plaintext copy a killed run left there is gone', () => {
    expect(run.status).toBe('succeeded');
    expect(existsSync(stale.file)).toBe(false);
    expect(existsSync(stale.dir)).toBe(false);
  });

  it('holds every Big5 transcoded copy and every Parquet file before upload; nothing goes to the OS temp folder', () => {
    const landing = join(runtime.localLakeDir ?? '', 'landing') + sep;
    // Named here, not taken from the dependencies: the state folder's SYSTEM area is where the files must be.
    const systemArea = join(runtime.config.home, 'system-scratch') + sep;
    const transcoded = paths.filter((path) => !path.startsWith(landing) && path.endsWith('.csv'));
    // Two Big5 datasets: each was transcoded once, inside the scratch folder.
    expect(transcoded).toHaveLength(2);
    expect(transcoded.filter((path) => !path.startsWith(systemArea))).toEqual([]);
    expect(paths.filter((path) => path.endsWith('.parquet')).length).toBeGreaterThan(0);
    expect(paths.filter((path) => !path.startsWith(landing) && !path.startsWith(systemArea))).toEqual([]);
  });

  it('is the SYSTEM area of the state folder given through the dependencies, owner-only, and empty after the run', async () => {
    expect(scratch).toBe(join(runtime.config.home, 'system-scratch'));
    expect((await stat(scratch)).mode & 0o777).toBe(0o700);
    expect(await readdir(scratch)).toEqual([]);
  });

  it('without a scratch folder (Glue, Lambda), uses a fresh private folder of the local temp and removes it when the run ends', async () => {
    const { scratchDir: _unused, ...deps } = await pipelineDependencies(runtime);
    const written: string[] = [];
    try {
      const rerun = await runPipeline({ ...deps, engine: recording(deps.engine, written) }, { businessDate: '2026-11-25' });
      expect(rerun.status).toBe('succeeded');
    } finally {
      await deps.engine.close();
    }
    const parquet = written.filter((path) => path.endsWith('.parquet'));
    expect(parquet.length).toBeGreaterThan(0);
    const runFolder = (parquet[0] ?? '').slice(0, (parquet[0] ?? '').indexOf(sep, tmpdir().length + 1));
    expect(runFolder.startsWith(join(tmpdir(), 'cur-run-'))).toBe(true);
    expect(parquet.every((path) => path.startsWith(runFolder + sep))).toBe(true);
    expect(existsSync(runFolder)).toBe(false);
  });
});
