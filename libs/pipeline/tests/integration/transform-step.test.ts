import { cp, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchAccepted } from '@cur/contracts';
import { createContentVerifier, type Manifest } from '@cur/lake';
import type { Runtime } from '@cur/runtime';
import { DuckDbPlanExecutor, ManifestStore, rejectsDatasetOf, runMaskStep, runTransformStep, type PlanExecutor, type StepPlanInput } from '../../src/index';
import { ingestedPlatform, pipelineDependencies } from '../helpers/pipeline-fixture';

/**
 * Issue 18: a batch the mask step wrote in parts (too large for the engine's memory whole) is transformed part by
 * part, to the same rows as the whole batch's one plan. Dirty extracts (a fifth of the rows: adjacent duplicates,
 * bad values), so duplicates fall on both sides of a part's edge.
 */
let runtime: Runtime;
let ingestedLanding: string;
beforeAll(async () => {
  ({ runtime } = await ingestedPlatform({ customers: 300, days: 1, seed: 21, dirtyRate: 0.2 }));
  ingestedLanding = await mkdtemp(join(tmpdir(), 'cur-landing-ingested-'));
  await cp(join(runtime.localLakeDir ?? '', 'landing'), ingestedLanding, { recursive: true });
}, 60_000);
afterAll(() => runtime.close());

/** A DuckDB plan executor that records the plans it runs. */
function recordingExecutor(inner: PlanExecutor, plans: StepPlanInput[]): PlanExecutor {
  return { engine: inner.engine, dialect: inner.dialect, execute: (plan) => (plans.push(plan), inner.execute(plan)) };
}

describe('the transform step on a batch masked in parts', () => {
  it('transforms it part by part to the rows, rejects and order of the whole batch, several files under one verifiable hash', async () => {
    const deps = await pipelineDependencies(runtime);
    const lake = runtime.localLakeDir ?? '';
    const manifests = new ManifestStore(deps.buckets.system);
    const record = (await deps.ledger.list()).map((entry) => entry.record).find((entry) => entry?.dataset === 'card_transaction');
    if (!record) throw new Error('no card_transaction batch was ingested');
    const batch: BatchAccepted = { batchId: record.batchId, dataset: record.dataset, businessDate: record.businessDate, rowCount: record.rowCount, dataKey: record.dataKey, controlKey: record.controlKey };
    const scratchDir = await mkdtemp(join(tmpdir(), 'cur-scratch-'));
    const maskDeps = { landing: deps.buckets.landing, raw: deps.buckets.raw, manifests, ledger: deps.ledger, engine: deps.engine, policy: deps.policy, maskers: deps.maskers, runId: 'test', scratchDir, landingPath: (key: string) => deps.locate('landing', key) };
    const plans: StepPlanInput[] = [];
    const transformDeps = { raw: deps.buckets.raw, transformed: deps.buckets.transformed, manifests, plans: recordingExecutor(new DuckDbPlanExecutor(deps.engine), plans), engine: deps.engine, policy: deps.policy, locate: deps.locate, runId: 'test', scratchDir };
    const rowsOf = (zone: 'transformed', manifest: Manifest): Promise<unknown[]> => deps.engine.query(`SELECT * FROM read_parquet([${manifest.files.map((key) => `'${deps.locate(zone, key)}'`).join(', ')}])`);
    const rejectsOf = async (): Promise<Manifest> => {
      const manifest = await manifests.get('transformed', rejectsDatasetOf('card_transaction'), batch.businessDate);
      if (!manifest) throw new Error('no rejects manifest');
      return manifest;
    };

    const wholeRaw = await runMaskStep({ ...maskDeps, stageInMemoryUpToBytes: 2 ** 30 }, batch);
    const whole = await runTransformStep(transformDeps, 'card_transaction', batch.businessDate);
    const [wholeRows, wholeRejects, wholeRejectRows] = [await rowsOf('transformed', whole), await rejectsOf(), await rowsOf('transformed', await rejectsOf())];
    await cp(ingestedLanding, join(lake, 'landing'), { recursive: true });
    const partedRaw = await runMaskStep({ ...maskDeps, stageInMemoryUpToBytes: 1_500 }, batch);
    plans.length = 0;
    const inParts = await runTransformStep(transformDeps, 'card_transaction', batch.businessDate);
    const [partRows, partRejects] = [await rowsOf('transformed', inParts), await rejectsOf()];
    const partRejectRows = await rowsOf('transformed', partRejects);

    expect(wholeRaw.files).toHaveLength(1);
    expect(partedRaw.files.length).toBeGreaterThan(3);
    // One plan for the key candidates, one per raw part.
    expect(plans.map((plan) => plan.outputs.map((output) => output.name).join('+'))).toEqual([
      'key_candidates',
      ...partedRaw.files.map(() => 'card_transaction+transform_rejects+candidate_rows'),
    ]);
    expect(inParts.files.length).toBeGreaterThan(3);
    expect(inParts.rowCount).toBe(whole.rowCount);
    expect(inParts.counts).toEqual(whole.counts);
    expect(whole.counts['rejected.DUPLICATE']).toBeGreaterThan(5);
    // Some duplicates lose to a row of the part before theirs: the first row of a part.
    const firstRows = await deps.engine.query(`SELECT min(source_row) AS first FROM read_parquet([${partedRaw.files.slice(1).map((key) => `'${deps.locate('raw', key)}'`).join(', ')}], filename = true) GROUP BY filename`);
    const duplicateRows = new Set(wholeRejectRows.filter((row) => (row as { reason_code: string }).reason_code === 'DUPLICATE').map((row) => Number((row as { row_number: bigint }).row_number)));
    expect(firstRows.filter((row) => duplicateRows.has(Number(row['first']))).length).toBeGreaterThan(0);
    expect(partRows).toEqual(wholeRows);
    expect(partRejectRows).toEqual(wholeRejectRows);
    expect(partRejects.rowCount).toBe(wholeRejects.rowCount);
    // The manifests' hashes are of the files' bytes in order: what the lake's verifier checks.
    await createContentVerifier(() => deps.buckets.transformed)(inParts);
    await createContentVerifier(() => deps.buckets.transformed)(partRejects);
    expect(await readdir(scratchDir)).toEqual([]);

    // Raw files listed out of row order are transformed whole: the first row of a key may not be in an earlier part.
    await manifests.publish({ ...partedRaw, files: [...partedRaw.files].reverse() });
    plans.length = 0;
    const reordered = await runTransformStep(transformDeps, 'card_transaction', batch.businessDate);
    expect(plans.map((plan) => plan.outputs.length)).toEqual([2]);
    expect(reordered.counts).toEqual(whole.counts);
    await deps.engine.close();
  }, 120_000);
});
