import { readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DuckDbSqlEngine } from '@cur/adapters-local';
import { runCurBin, runCurBinJson, startCur } from '../helpers/run-cur-bin';

/**
 * Issue 15: the training job and the model history through the real `cur` executable, on a real demo's lake:
 * demo -> model train -> model history --json; a second training with other hyperparameters is a second version.
 */
let home: string;
let first: string;
let second: string;
let compareOutput = '';
let chartOutput = '';

interface HistoryJson {
  readonly scoring: string | null;
  readonly versions: readonly {
    versionId: string;
    status: string;
    metrics: Record<string, number>;
    hyperparameters?: Record<string, string>;
    data?: { zone: string; dataset: string; businessDate: string; contentSha256: string }[];
    timeline: { status: string }[];
    codeVersion?: string;
    startedBy?: string;
  }[];
}

const versionOf = (stdout: string): string => /model version (\S+): Completed/.exec(stdout)?.[1] ?? '';
const filesUnder = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]));

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cur-model-'));
  const demo = await runCurBin(['demo', '--customers', '1500', '--keep-plaintext-extracts'], home);
  expect(demo.code, demo.stderr).toBe(0);
  const a = await runCurBin(['--role', 'DS', 'model', 'train'], home);
  expect(a.code, a.stderr).toBe(0);
  first = versionOf(a.stdout);
  const b = await runCurBin(['--role', 'DS', 'model', 'train', '--model', 'logistic', '--seed', '7', '--params', 'c=0.5', 'max_iter=500'], home);
  expect(b.code, b.stderr).toBe(0);
  second = versionOf(b.stdout);
}, 300_000);

describe('cur model train', () => {
  it('prints the job\'s progress and metrics, then a summary naming the version', async () => {
    expect(first).toMatch(/^cur-dev-train-digital-native-\d{8}-\d{6}-[0-9a-f]{4}$/);
    expect(second).not.toBe(first);
  }, 120_000);

  it('records each training as a version with its metrics, timeline, hyperparameters and data lineage', async () => {
    const history = await runCurBin(['--role', 'DS', 'model', 'history', '--json'], home);
    expect(history.code, history.stderr).toBe(0);
    const { versions } = JSON.parse(history.stdout) as HistoryJson;
    expect(versions.map((v) => v.versionId)).toEqual([first, second]);
    const [a, b] = versions;
    expect(a?.status).toBe('Completed');
    expect(a?.timeline.map((t) => t.status)).toEqual(['InProgress', 'Completed']);
    expect(a?.metrics['validation:auc']).toBeGreaterThan(0.6);
    expect(a?.startedBy).toMatch(/^cli:/);
    expect(a?.codeVersion).toMatch(/^[0-9a-f]{12}(-dirty)?$/);
    // Lineage to the lake: the very manifests the job read, with their content hashes.
    const manifest = JSON.parse(readFileSync(join(home, 'lake', 'system', 'manifests', 'consumption', 'customer_features', 'business_date=2026-11-25.json'), 'utf8')) as { contentSha256: string };
    expect(a?.data).toContainEqual({ zone: 'consumption', dataset: 'customer_features', businessDate: '2026-11-25', contentSha256: manifest.contentSha256 });
    expect(b?.hyperparameters).toEqual({ model: 'logistic', seed: '7', c: '0.5', max_iter: '500' });
    expect(b?.metrics['validation:auc']).not.toBe(a?.metrics['validation:auc']);
    // The history exported for Spark SQL (cur_model.history's model_history view) and the score distributions.
    const exports = join(home, 'lake', 'system', 'model-history', 'exports');
    const engine = await DuckDbSqlEngine.open({ threads: 1 });
    try {
      const auc = await engine.query(`SELECT version_id, value FROM read_parquet('${join(exports, 'model_history', 'part-0.parquet')}') WHERE metric = 'validation:auc' ORDER BY created_at`);
      expect(auc).toEqual([
        { version_id: first, value: a?.metrics['validation:auc'] },
        { version_id: second, value: b?.metrics['validation:auc'] },
      ]);
      const bins = await engine.query(`SELECT version_id, count(*) AS bins, sum(holdout_count) AS holdout FROM read_parquet('${join(exports, 'model_score_distributions', 'part-0.parquet')}') GROUP BY 1 ORDER BY 1`);
      expect(bins.map((row) => Number(row['bins']))).toEqual([10, 10]);
      expect(bins.every((row) => Number(row['holdout']) > 0)).toBe(true);
    } finally {
      await engine.close();
    }
    // The trend as an SVG chart: both versions, their AUC, nothing else.
    const chart = join(home, 'trend.svg');
    const drawn = await runCurBin(['--role', 'DA', 'model', 'history', '--chart', chart], home);
    expect(drawn.code, drawn.stderr).toBe(0);
    const svg = readFileSync(chart, 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain(first);
    expect(svg).toContain(`${first}: ${a?.metrics['validation:auc']?.toFixed(4)}`);
    chartOutput = svg;
    const unknown = await runCurBin(['--role', 'DS', 'model', 'history', '--chart', chart, '--metric', 'accuracy'], home);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--metric accuracy: no Completed version has it (known: train:auc');
  }, 120_000);

  it('compares the two versions: hyperparameters, metric deltas, the same data, and on Spark SQL score PSI and tag churn', async () => {
    const compare = await runCurBin(['--role', 'DS', 'model', 'compare', first, second, '--json'], home);
    expect(compare.code, compare.stderr).toBe(0);
    const comparison = JSON.parse(compare.stdout) as {
      hyperparameters: { name: string }[];
      metrics: { name: string; delta?: number }[];
      sameData: boolean;
      stability: { from: string; to: string; scorePsi: number; featurePsi: { feature: string; psi: number }[]; churn: { entered: number; left: number; stayed: number }; population: { customers: number } };
    };
    expect(comparison.hyperparameters.map((h) => h.name)).toEqual(['c', 'max_iter', 'model', 'seed']);
    expect(comparison.metrics.find((m) => m.name === 'validation:auc')?.delta).toEqual(expect.any(Number));
    expect(comparison.sameData).toBe(true);
    const { stability } = comparison;
    expect([stability.from, stability.to]).toEqual([first, second]);
    expect(stability.scorePsi).toBeGreaterThan(0);
    // Both trained on the same partition: every feature's PSI is zero.
    expect(stability.featurePsi.length).toBeGreaterThan(5);
    for (const feature of stability.featurePsi) expect(feature.psi).toBeCloseTo(0, 10);
    const { entered, left, stayed } = stability.churn;
    expect(entered + left + stayed).toBeGreaterThan(0);
    expect(entered + left + stayed).toBeLessThanOrEqual(stability.population.customers);
    // The scores keyed by customer token stayed in the scratch area, which is empty again.
    expect(readdirSync(join(home, 'system-scratch', 'model-training'))).toEqual([]);
    compareOutput = compare.stdout;
  }, 240_000);

  it('lets DA read metrics only and refuses other roles, training included', async () => {
    const da = await runCurBin(['--role', 'DA', 'model', 'history', '--json'], home);
    expect(da.code, da.stderr).toBe(0);
    const { versions } = JSON.parse(da.stdout) as HistoryJson;
    expect(versions[0]?.metrics['validation:auc']).toEqual(expect.any(Number));
    expect(versions[0]).not.toHaveProperty('hyperparameters');
    expect(versions[0]).not.toHaveProperty('data');
    const de = await runCurBin(['--role', 'DE', 'model', 'history'], home);
    expect(de.code).toBe(1);
    expect(de.stderr).toContain('[ACCESS_DENIED]');
    const train = await runCurBin(['--role', 'DA', 'model', 'train'], home);
    expect(train.code).toBe(1);
    expect(train.stderr).toContain('only DS trains models');
  }, 120_000);

  it('promotes a version, rolls back, and refuses DA', async () => {
    expect((await runCurBin(['--role', 'DS', 'model', 'promote', first], home)).code).toBe(0);
    expect((await runCurBin(['--role', 'DS', 'model', 'promote', second], home)).stdout).toContain(`scoring version: ${second}`);
    expect((await runCurBin(['--role', 'DS', 'model', 'rollback'], home)).stdout).toContain(`scoring version: ${first}`);
    const refused = await runCurBin(['--role', 'DA', 'model', 'promote', second], home);
    expect(refused.code).toBe(1);
    const history = await runCurBinJson<HistoryJson>(['--role', 'DS', 'model', 'history', '--json'], home);
    expect(history.scoring).toBe(first);
  }, 120_000);

  it('refuses bad flags with exit 2 and names them', async () => {
    const target = await runCurBin(['--role', 'DS', 'model', 'train', '--target', 'nobody'], home);
    expect(target.code).toBe(2);
    expect(target.stderr).toContain("option '--target <tag>' argument 'nobody' is invalid");
    const params = await runCurBin(['--role', 'DS', 'model', 'train', '--params', 'max depth'], home);
    expect(params.code).toBe(2);
    expect(params.stderr).toContain('--params takes name=value pairs');
  }, 120_000);

  it('records a failed training as a Failed version with the job\'s error code, and exits 1', async () => {
    const failed = await runCurBin(['--role', 'DS', 'model', 'train', '--params', 'holdout_fraction=0.9'], home);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('holdout_fraction: Input should be less than or equal to 0.5 [INVALID_HYPERPARAMETER]');
    const { versions } = await runCurBinJson<HistoryJson & { versions: { failureCode?: string }[] }>(['--role', 'DS', 'model', 'history', '--json'], home);
    expect(versions.at(-1)).toMatchObject({ status: 'Failed', failureCode: 'INVALID_HYPERPARAMETER' });
  }, 120_000);

  it('stops a training on Ctrl-C: the job is ended, the version recorded Stopped, exit 130', async () => {
    const slow = startCur(['--role', 'DS', 'model', 'train', '--params', 'max_iter=10000', 'max_leaf_nodes=255', 'max_depth=20', 'learning_rate=0.01'], home);
    await slow.waitFor(/training on 80% of the customers/);
    slow.kill('SIGINT');
    const { code } = await slow.exited;
    expect(code, slow.output()).toBe(130);
    expect(slow.output()).toContain('the version is recorded as Stopped');
    const { versions } = await runCurBinJson<HistoryJson>(['--role', 'DS', 'model', 'history', '--json'], home);
    expect(versions.at(-1)).toMatchObject({ status: 'Stopped', metrics: {} });
    expect(versions.at(-1)?.timeline.map((t) => t.status)).toEqual(['InProgress', 'Stopped']);
  }, 180_000);

  it('keeps no plaintext and no customer token in model artefacts, the history or the output', async () => {
    const extracts = join(home, 'extracts');
    const profile = filesUnder(extracts).find((file) => /customer_profile/.test(file) && !file.endsWith('.ctl'));
    expect(profile).toBeDefined();
    // Canaries: plaintext national IDs and names from the extract, and the tokens the lake holds for customers.
    const lines = readFileSync(profile ?? '', 'utf8').split('\n').slice(1, 200);
    const plaintext = lines.flatMap((line) => line.split(',').slice(0, 2)).filter((value) => value.length >= 4);
    const tokens = await runCurBinJson<{ cust_id: string }[]>(['--role', 'DS', 'query', '--json', 'SELECT cust_id FROM consumption.customer_features LIMIT 200'], home);
    const canaries = [...plaintext, ...tokens.map((t) => t.cust_id)];
    expect(canaries.length).toBeGreaterThan(300);

    const artefacts = filesUnder(join(home, 'lake', 'system', 'model-history'));
    expect(artefacts.some((file) => file.endsWith('model.joblib'))).toBe(true);
    const outputs = [
      ...artefacts.map((file) => readFileSync(file).toString('latin1')),
      (await runCurBin(['--role', 'DS', 'model', 'history', '--json'], home)).stdout,
      (await runCurBin(['--role', 'DS', 'model', 'compare', first, second, '--metrics-only'], home)).stdout,
      compareOutput,
      chartOutput,
    ];
    expect(compareOutput).toContain('scorePsi');
    expect(chartOutput).toContain('<svg');
    for (const text of outputs) expect(canaries.filter((canary) => text.includes(canary))).toEqual([]);
    // The scan can fail: the tokens are in the lake's own features file.
    const features = filesUnder(join(home, 'lake', 'consumption', 'customer_features'))[0] ?? '';
    expect(readFileSync(features).toString('latin1')).toContain(tokens[0]?.cust_id);
    // The scratch area keeps nothing of a finished job.
    expect(readdirSync(join(home, 'system-scratch')).filter((name) => name === 'model-training').flatMap((name) => readdirSync(join(home, 'system-scratch', name)))).toEqual([]);
  }, 120_000);
});
