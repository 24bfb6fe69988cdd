import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlEngine } from '@cur/platform';
import type { Runtime } from '@cur/runtime';
import { ManifestStore, PIPELINE_STEPS, runPipeline } from '../../src/index';
import { engineWith, ingestedPlatform, pipelineDependencies } from '../helpers/pipeline-fixture';

let runtime: Runtime;
beforeAll(async () => ({ runtime } = await ingestedPlatform({ customers: 120, days: 1, seed: 3 })), 60_000);
afterAll(() => runtime.close());

/**
 * The real engine, dying the way a killed process would: in the middle of a step, after some output is written. Here
 * at the first write of a transform's rejects, when that transform's accepted rows are already written.
 */
function dyingAtFirstRejectsWrite(engine: SqlEngine, state = { died: false }): SqlEngine {
  return engineWith(engine, {
    writeParquet: async (sql, file) => {
      if (!state.died && sql.includes('AS reason_code')) {
        state.died = true;
        throw new Error('process killed');
      }
      return engine.writeParquet(sql, file);
    },
    fork: async () => dyingAtFirstRejectsWrite(await engine.fork(), state),
  });
}

/** The content hash of every output the pipeline published for a date after raw, by zone and dataset. */
async function outputHashes(manifests: ManifestStore, businessDate: string): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const zone of ['transformed', 'consumption', 'mart'] as const) {
    for (const step of PIPELINE_STEPS.filter((candidate) => candidate.to === zone)) {
      for (const dataset of step.outputs) {
        const manifest = await manifests.get(zone, dataset, businessDate);
        if (manifest) hashes[`${zone}.${dataset}`] = manifest.contentSha256;
      }
    }
  }
  return hashes;
}

describe('a step killed half-way', () => {
  it('leaves nothing visible, and the rerun completes with the same result as an undisturbed run', async () => {
    const manifests = new ManifestStore(runtime.blobStore('system'));
    const deps = await pipelineDependencies(runtime);
    // Every mask step completes; the first transform writes its accepted rows and dies before its rejects.
    const first = await runPipeline({ ...deps, engine: dyingAtFirstRejectsWrite(deps.engine) }, { attempts: 1 });
    expect(first.status).toBe('failed');
    expect(first.steps.find((s) => s.step === 'transform')?.status).toBe('failed');
    expect(first.steps.filter((s) => s.step === 'consumption').map((s) => s.status)).toEqual(['skipped']);
    const failedDataset = first.steps.find((s) => s.step === 'transform' && s.status === 'failed')?.target.split('/')[0] ?? '';
    expect(await manifests.get('transformed', failedDataset, '2026-11-25')).toBeUndefined();

    const rerun = await runPipeline(deps, { businessDate: '2026-11-25' });
    expect(rerun.status).toBe('succeeded');
    const manifest = await manifests.get('transformed', failedDataset, '2026-11-25');
    expect(manifest?.files).toHaveLength(1);
    expect(await runtime.blobStore('transformed').head(manifest?.files[0] ?? '')).toBeDefined();
    expect(manifest?.counts['rowsIn']).toBe((manifest?.counts['rowsOut'] ?? 0) + (manifest?.counts['rowsRejected'] ?? 0));

    // The same result as an undisturbed run from the same raw partitions: every output byte for byte.
    const afterRerun = await outputHashes(manifests, '2026-11-25');
    const undisturbed = await runPipeline(deps, { businessDate: '2026-11-25' });
    await deps.engine.close();
    expect(undisturbed.status).toBe('succeeded');
    expect(Object.keys(afterRerun).sort()).toEqual([
      'consumption.customer_features',
      'consumption.customer_tags',
      'mart.segment_metrics_monthly',
      'mart.tag_metrics_monthly',
      'transformed.account_balance',
      'transformed.card_transaction',
      'transformed.customer_profile',
      'transformed.digital_activity',
    ]);
    expect(await outputHashes(manifests, '2026-11-25')).toEqual(afterRerun);
  });
});

describe('a published file changed after publication', () => {
  it('is not read: the step that would read it fails with CONTENT_MISMATCH and nothing downstream runs', async () => {
    // Prepare: a complete run, then one raw file overwritten in place (the lake's files are never rewritten by a step).
    const deps = await pipelineDependencies(runtime);
    expect((await runPipeline(deps, { businessDate: '2026-11-25' })).status).toBe('succeeded');
    const manifest = await new ManifestStore(runtime.blobStore('system')).get('raw', 'account_balance', '2026-11-25');
    await runtime.blobStore('raw').put(manifest?.files[0] ?? '', 'not the published bytes');

    // Act
    const rerun = await runPipeline(deps, { businessDate: '2026-11-25', attempts: 1 });
    await deps.engine.close();

    // Assess
    expect(rerun.status).toBe('failed');
    const transform = rerun.steps.find((s) => s.step === 'transform' && s.target.startsWith('account_balance/'));
    expect(transform).toMatchObject({ status: 'failed', errorCode: 'CONTENT_MISMATCH' });
    expect(rerun.steps.filter((s) => s.step === 'consumption').map((s) => s.status)).toEqual(['skipped']);
  });
});
