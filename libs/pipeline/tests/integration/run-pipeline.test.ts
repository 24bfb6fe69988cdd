import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '@cur/runtime';
import { getDataset } from '@cur/contracts';
import { DAEAD_TOKEN } from '@cur/masking';
import { ManifestStore, runPipeline, type PipelineRun, type StepProgress } from '../../src/index';
import { SOURCE_DATASETS, ingestedPlatform, pipelineDependencies, plaintextCanaries } from '../helpers/pipeline-fixture';

let runtime: Runtime;
let home: string;
let extracts: string;
let run: PipelineRun;
const progress: StepProgress[] = [];

beforeAll(async () => {
  ({ runtime, home, extracts } = await ingestedPlatform({ customers: 300, days: 2, seed: 11 }));
  const deps = await pipelineDependencies(runtime);
  try {
    run = await runPipeline(deps, { onProgress: (event) => progress.push(event) });
  } finally {
    await deps.engine.close();
  }
}, 120_000);
afterAll(() => runtime.close());

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe('runPipeline on generated extracts', () => {
  it('masks every batch and builds transform, consumption and mart for each business date', () => {
    expect(run.status).toBe('succeeded');
    expect(run.businessDates).toEqual(['2026-11-25', '2026-11-26']);
    const by = (step: string) => run.steps.filter((s) => s.step === step && s.status === 'succeeded').length;
    expect([by('mask'), by('transform'), by('consumption'), by('mart')]).toEqual([8, 8, 2, 2]);
    // Steps overlap, so the run log says when each one that ran began.
    expect(run.steps.filter((s) => s.status !== 'skipped' && !Number.isFinite(Date.parse(s.startedAt ?? '')))).toEqual([]);
  });

  it('reports each step that ran as started, then finished with its status and rows; a mask starts with its batch\'s rows', () => {
    const ran = run.steps.filter((s) => s.step !== 'dq' && s.status !== 'skipped');
    expect(ran.length).toBeGreaterThanOrEqual(20);
    for (const step of ran) {
      const events = progress.filter((e) => e.step === step.step && e.target === step.target);
      expect(events[0]?.phase, `${step.step} ${step.target}`).toBe('started');
      expect(events.at(-1), `${step.step} ${step.target}`).toMatchObject({ phase: 'finished', status: step.status, rowsDone: step.rowCount });
      if (step.step === 'mask') expect(events[0]?.rowsTotal, step.target).toBe(step.rowCount);
    }
    // Names and counts only: no other field, so no value of the data, can ride on an event.
    const fields = new Set(progress.flatMap((event) => Object.keys(event)));
    expect([...fields].sort()).toEqual(['phase', 'rowsDone', 'rowsTotal', 'status', 'step', 'target']);
  });

  it('keeps the accounting identity: rows in = rows out + rows rejected, for every batch', () => {
    let rejected = 0;
    for (const step of run.steps.filter((s) => s.step === 'transform')) {
      const counts = step.counts ?? {};
      expect(counts['rowsIn'], step.target).toBe((counts['rowsOut'] ?? 0) + (counts['rowsRejected'] ?? 0));
      rejected += counts['rowsRejected'] ?? 0;
    }
    // The generator writes a small share of dirty rows; the transform step must catch some of them.
    expect(rejected).toBeGreaterThan(0);
  });

  it('empties landing once masked and records the batches as MASKED', async () => {
    const left: string[] = [];
    for await (const info of runtime.blobStore('landing').list()) left.push(info.key);
    expect(left).toEqual([]);
  });

  it('leaks no plaintext direct, quasi or secret value into any zone, manifest, run log or notification', async () => {
    const { sensitive, public: publicValues } = await plaintextCanaries(extracts);
    // A raw quasi value that is also some public value (an open date equal to someone's birth date) proves nothing.
    const canaries = [...sensitive].filter((value) => !publicValues.has(value));
    expect(canaries.length).toBeGreaterThan(1000);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const connection = await (await DuckDBInstance.create(':memory:')).connect();
    const texts: [string, string][] = [];
    for (const file of await filesUnder(home)) {
      const where = relative(home, file);
      if (where.startsWith('lake/landing') || where.startsWith('lake/quarantine') || where.startsWith('dynamodb') || where.startsWith('keys')) continue;
      if (file.endsWith('.parquet')) {
        const rows = (await connection.runAndReadAll(`SELECT * FROM read_parquet('${file}')`)).getRowObjectsJson();
        texts.push([where, JSON.stringify(rows)]);
      } else {
        texts.push([where, await readFile(file, 'utf8')]);
      }
    }
    expect(texts.some(([where]) => where.startsWith('lake/raw'))).toBe(true);
    texts.push(['progress events', JSON.stringify(progress)]);
    // A value counts as leaked when it stands on its own: a 7-digit ROC birth date inside a 16-digit card token is a
    // coincidence of random digits, not a leak. Names and addresses are matched as they are.
    const standsAlone = (canary: string): RegExp => new RegExp(`(?<![0-9A-Za-z_-])${canary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![0-9A-Za-z_-])`);
    const leaks = texts.flatMap(([where, text]) => canaries.filter((canary) => text.includes(canary) && standsAlone(canary).test(text)).map((canary) => `${where}: value of length ${canary.length}`));
    expect(leaks).toEqual([]);
  });

  it('keeps every secret cell of raw sealed: each non-null value has the sealed-token shape', async () => {
    const manifests = new ManifestStore(runtime.blobStore('system'));
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const connection = await (await DuckDBInstance.create(':memory:')).connect();
    let checked = 0;
    for (const dataset of SOURCE_DATASETS) {
      const secrets = getDataset(dataset).columns.filter((column) => column.classification === 'secret').map((column) => column.name);
      for (const manifest of secrets.length === 0 ? [] : await manifests.list('raw', dataset)) {
        for (const key of manifest.files) {
          const file = join(home, 'lake', 'raw', ...key.split('/'));
          for (const column of secrets) {
            const [row] = (await connection.runAndReadAll(`SELECT count(${column}) AS present, count(*) FILTER (WHERE NOT regexp_full_match(${column}, '${DAEAD_TOKEN.source.replace(/^\^|\$$/g, '')}')) AS unsealed FROM read_parquet('${file}')`)).getRowObjectsJson();
            expect(Number(row?.['unsealed']), `${dataset}.${column} in ${key}`).toBe(0);
            checked += Number(row?.['present']);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('gives the same output hashes when rerun for the same business date, and no duplicates', async () => {
    const manifests = new ManifestStore(runtime.blobStore('system'));
    const before = await Promise.all(SOURCE_DATASETS.map((d) => manifests.get('transformed', d, '2026-11-26')));
    const features = await manifests.get('consumption', 'customer_features', '2026-11-26');
    const deps = await pipelineDependencies(runtime);
    try {
      const rerun = await runPipeline(deps, { businessDate: '2026-11-26' });
      expect(rerun.status).toBe('succeeded');
    } finally {
      await deps.engine.close();
    }
    const after = await Promise.all(SOURCE_DATASETS.map((d) => manifests.get('transformed', d, '2026-11-26')));
    expect(after.map((m) => m?.contentSha256)).toEqual(before.map((m) => m?.contentSha256));
    expect((await manifests.get('consumption', 'customer_features', '2026-11-26'))?.contentSha256).toBe(features?.contentSha256);
    expect(after.every((m) => m?.files.length === 1)).toBe(true);
  });
});
