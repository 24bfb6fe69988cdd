import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbSqlEngine } from '@cur/adapters-local';
import { runCurBin, startCur, type RunningCur } from '../helpers/run-cur-bin';

/**
 * Issue 15, point 3: model-based tags through the real `cur` executable. demo (no version promoted: the scoring step
 * is skipped), model train, model promote, run again: the scoring step writes consumption.model_tags, the mart counts
 * the model tag, and the retrieval API serves it for a customer with the model version.
 */
const DATE = '2026-11-25';
const MODEL_TAG = 'digital_native_propensity';
let home: string;
let version: string;
let serve: RunningCur | undefined;

interface RunLog {
  readonly runId: string;
  readonly status: string;
  readonly steps: { step: string; target: string; status: string; error?: string; rowCount?: number; counts?: Record<string, number> }[];
}

const runLogs = (): RunLog[] => {
  const dir = join(home, 'lake', 'system', 'runs');
  return readdirSync(dir)
    .sort()
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as RunLog);
};
const manifest = (zone: string, dataset: string): { runId: string; rowCount: number; files: string[]; counts: Record<string, number> } =>
  JSON.parse(readFileSync(join(home, 'lake', 'system', 'manifests', zone, dataset, `business_date=${DATE}.json`), 'utf8'));
const filesOf = (zone: string, dataset: string): string[] => manifest(zone, dataset).files.map((key) => join(home, 'lake', zone, ...key.split('/')));

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cur-model-tags-'));
  const demo = await runCurBin(['demo', '--customers', '600'], home);
  expect(demo.code, demo.stderr).toBe(0);
  const train = await runCurBin(['--role', 'DS', 'model', 'train'], home);
  expect(train.code, train.stderr).toBe(0);
  version = /model version (\S+): Completed/.exec(train.stdout)?.[1] ?? '';
  const promote = await runCurBin(['--role', 'DS', 'model', 'promote', version], home);
  expect(promote.code, promote.stderr).toBe(0);
  const run = await runCurBin(['run', '--date', DATE], home);
  expect(run.code, run.stderr).toBe(0);
}, 600_000);

afterAll(() => serve?.kill('SIGTERM'));

describe('model-based tags', () => {
  it('skips the scoring step, saying so, while no version is promoted, and scores once one is', () => {
    const [demoRun, ...rest] = runLogs();
    expect(demoRun?.steps.find((s) => s.step === 'score')).toMatchObject({ status: 'skipped', error: expect.stringContaining('no model version is promoted') });
    const scored = rest.at(-1);
    expect(scored?.status).toBe('succeeded');
    const step = scored?.steps.find((s) => s.step === 'score');
    expect(step).toMatchObject({ status: 'succeeded', target: DATE });
    // Gated by its DQ ruleset, though the DAG's task graph (which cur run follows) has no gate for it yet.
    expect(scored?.steps.find((s) => s.step === 'dq' && s.target === `consumption/model_tags/${DATE}`)).toMatchObject({ status: 'succeeded', counts: { failed: 0 } });
    const published = manifest('consumption', 'model_tags');
    expect(published.runId).toBe(scored?.runId);
    expect(step?.rowCount).toBe(published.rowCount);
    expect(published.counts['scored']).toBe(manifest('consumption', 'customer_features').rowCount);
    expect(published.rowCount).toBeGreaterThan(0);
    expect(published.rowCount).toBeLessThan(published.counts['scored'] ?? 0);
  });

  it('writes each model tag with the promoted version, and the mart counts it', async () => {
    const engine = await DuckDbSqlEngine.open({ threads: 1 });
    try {
      await engine.registerParquetView('model_tags', filesOf('consumption', 'model_tags'));
      expect(await engine.query('SELECT DISTINCT tag, model_version FROM model_tags')).toEqual([{ tag: MODEL_TAG, model_version: version }]);
      await engine.registerParquetView('tag_metrics', filesOf('mart', 'tag_metrics_monthly'));
      const counted = await engine.query(`SELECT SUM(customers) AS n FROM tag_metrics WHERE tag = '${MODEL_TAG}'`);
      expect(Number(counted[0]?.['n'])).toBe(manifest('consumption', 'model_tags').rowCount);
    } finally {
      await engine.close();
    }
  });

  it('serves the model tag with its version for a customer who carries it, and not for one who does not', async () => {
    const engine = await DuckDbSqlEngine.open({ threads: 1 });
    let carrier = '';
    let other = '';
    try {
      await engine.registerParquetView('model_tags', filesOf('consumption', 'model_tags'));
      await engine.registerParquetView('features', filesOf('consumption', 'customer_features'));
      carrier = String((await engine.query('SELECT cust_id FROM model_tags ORDER BY cust_id LIMIT 1'))[0]?.['cust_id']);
      other = String((await engine.query('SELECT cust_id FROM features WHERE cust_id NOT IN (SELECT cust_id FROM model_tags) ORDER BY cust_id LIMIT 1'))[0]?.['cust_id']);
    } finally {
      await engine.close();
    }
    serve = startCur(['serve', '--port', '0'], home);
    await serve.waitFor(/retrieval API on http:\/\/\S+/);
    const url = /retrieval API on (http:\/\/\S+)/.exec(serve.output())?.[1] ?? '';
    const token = await runCurBin(['token', '--role', 'AP'], home);
    expect(token.code, token.stderr).toBe(0);
    const get = async (path: string) => {
      const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token.stdout.trim()}` } });
      expect(response.status).toBe(200);
      return (await response.json()) as { tags?: string[]; modelTags?: { tag: string; modelVersion: string }[] } & Record<string, unknown>;
    };
    const tagged = await get(`/v1/customers/${carrier}/tags`);
    expect(tagged.tags).toContain(MODEL_TAG);
    expect(tagged.modelTags).toEqual([{ tag: MODEL_TAG, modelVersion: version }]);
    const untagged = await get(`/v1/customers/${other}/tags`);
    expect(untagged.tags).not.toContain(MODEL_TAG);
    expect(untagged.modelTags).toBeUndefined();
    const tags = (await get('/v1/tags')) as { tags?: { name: string; customers: number; description?: string }[] };
    expect(tags.tags).toContainEqual({ name: MODEL_TAG, customers: manifest('consumption', 'model_tags').rowCount, description: expect.stringContaining(version), owner: 'data-science' });
  }, 120_000);
});
