import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbSqlEngine } from '@cur/adapters-local';
import { getDataset } from '@cur/contracts';
import { evaluateDqdl, loadRuleset } from '@cur/dq';
import { StoredDqResultSource } from '@cur/dq-alerts';
import type { Manifest } from '@cur/lake';
import type { Runtime } from '@cur/runtime';
import { ManifestStore, runPipeline, type PipelineRun } from '../../src/index';
import { uniqueKeysGuaranteedBy } from '../../src/steps/step-guarantees';
import { ingestedPlatform, pipelineDependencies } from '../helpers/pipeline-fixture';

// The guarantees the DQ gates take instead of grouping every key (docs/ARCHITECTURE.md, "Data quality"): held here on
// a real run's outputs, measured independently of the gate, on extracts whose dirty rows include repeated keys.
const DATE = '2026-11-25';
const SOURCES = ['customer_profile', 'account_balance', 'card_transaction', 'digital_activity'] as const;

let runtime: Runtime;
let run: PipelineRun;
let manifests: ManifestStore;
let engine: DuckDbSqlEngine;
const locate = (bucket: string, key: string): string => `${runtime.localLakeDir ?? ''}/${bucket}/${key}`;

beforeAll(async () => {
  ({ runtime } = await ingestedPlatform({ customers: 150, days: 1, seed: 18, dirtyRate: 0.1 }));
  const deps = await pipelineDependencies(runtime);
  try {
    run = await runPipeline(deps);
  } finally {
    await deps.engine.close();
  }
  manifests = new ManifestStore(runtime.blobStore('system'));
  engine = await DuckDbSqlEngine.open({ threads: 1 });
}, 180_000);
afterAll(async () => {
  await engine?.close();
  await runtime?.close();
});

async function published(zone: 'raw' | 'transformed', dataset: string): Promise<Manifest> {
  const manifest = await manifests.get(zone, dataset, DATE);
  if (!manifest) throw new Error(`no ${zone} ${dataset}`);
  await engine.registerParquetView('under_test', manifest.files.map((key) => locate(zone, key)));
  return manifest;
}

describe('the mask step numbers every extract row once', () => {
  it.each(SOURCES)('%s: source_row is 1 to n in the raw partition, each number once', async (dataset) => {
    const manifest = await published('raw', dataset);
    const [row] = await engine.query('SELECT count(*) AS n, count(DISTINCT source_row) AS distinct_rows, min(source_row) AS first, max(source_row) AS last FROM under_test');

    expect(Object.fromEntries(Object.entries(row ?? {}).map(([name, value]) => [name, Number(value)]))).toEqual({ n: manifest.rowCount, distinct_rows: manifest.rowCount, first: 1, last: manifest.rowCount });
  });
});

describe("the transform step's accepted rows have unique, complete keys", () => {
  it('the extracts hold repeated keys, which the transform rejected as DUPLICATE', async () => {
    const duplicates = await Promise.all(SOURCES.map(async (dataset) => (await manifests.get('transformed', dataset, DATE))?.counts['rejected.DUPLICATE'] ?? 0));

    expect(duplicates.reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);
  });

  it.each(SOURCES)('%s: IsPrimaryKey measured in full (no guarantee) passes', async (dataset) => {
    await published('transformed', dataset);
    const key = getDataset(dataset).primaryKey.map((column) => `"${column}"`).join(' ');
    const [result] = await evaluateDqdl(`Rules = [ IsPrimaryKey ${key} ]`, { engine, view: 'under_test' });

    expect(result).toMatchObject({ Result: 'PASS' });
    expect(result?.EvaluationMessage).toBeUndefined();
  });
});

describe("the pipeline's gates report a guaranteed key as such", () => {
  it.each([
    ['raw', 'card_transaction', 'IsPrimaryKey "source_row"', 'the DuckDB mask step of this run numbered'],
    ['transformed', 'card_transaction', 'IsPrimaryKey "txn_id"', 'the transform step of this run rejected'],
    ['transformed', 'account_balance', 'IsPrimaryKey "acct_no" "as_of_date"', 'the transform step of this run rejected'],
  ] as const)('%s %s: %s passes, its result naming the evidence', async (zone, dataset, rule, evidence) => {
    expect(run.status).toBe('succeeded');
    const evaluation = await new StoredDqResultSource(runtime.blobStore('system')).get(`dqresult-${run.runId}-${zone}-${dataset}`);
    const result = evaluation.ruleResults.find((candidate) => candidate.Description === rule);
    const { ruleset } = await loadRuleset(dataset, zone);

    expect(ruleset.rules.map((candidate) => candidate.text)).toContain(rule);
    expect(result).toMatchObject({ Result: 'PASS', EvaluationMessage: expect.stringContaining(evidence) });
    expect(result?.EvaluationMessage).toContain('step-guarantees.test.ts');
    expect(evaluation.ruleResults.filter((candidate) => candidate.EvaluationMessage?.includes('by construction'))).toHaveLength(1);
  });
});

describe('uniqueKeysGuaranteedBy', () => {
  const base = { businessDate: DATE, runId: 'run-1', inputs: [], counts: {}, keyVersions: {}, startedAt: '2026-11-25T00:00:00.000Z', files: [], rowCount: 3, contentSha256: 'x', schemaSha256: 'y', durationMs: 1 };
  const context = { runId: 'run-1', maskEngine: 'duckdb' } as const;

  it("gives the DuckDB mask step's source_row and the transform step's primary key", () => {
    expect(uniqueKeysGuaranteedBy({ ...base, zone: 'raw', dataset: 'card_transaction', step: 'mask' }, context).map((g) => g.columns)).toEqual([['source_row']]);
    expect(uniqueKeysGuaranteedBy({ ...base, zone: 'transformed', dataset: 'account_balance', step: 'transform' }, context).map((g) => g.columns)).toEqual([['acct_no', 'as_of_date']]);
  });

  it("gives nothing for another run's output, another step's, or the Spark mask job's", () => {
    expect(uniqueKeysGuaranteedBy({ ...base, zone: 'transformed', dataset: 'card_transaction', step: 'transform' }, { ...context, runId: 'run-2' })).toEqual([]);
    expect(uniqueKeysGuaranteedBy({ ...base, zone: 'raw', dataset: 'card_transaction', step: 'retokenize' }, context)).toEqual([]);
    expect(uniqueKeysGuaranteedBy({ ...base, zone: 'raw', dataset: 'card_transaction', step: 'mask' }, { ...context, maskEngine: 'spark' })).toEqual([]);
    expect(uniqueKeysGuaranteedBy({ ...base, zone: 'consumption', dataset: 'customer_features', step: 'consumption' }, context)).toEqual([]);
  });
});
