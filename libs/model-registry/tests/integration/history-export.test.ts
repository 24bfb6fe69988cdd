import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbSqlEngine } from '@cur/adapters-local';
import { createLogger, loadPlatformConfig } from '@cur/platform';
import { createRuntime, type Runtime } from '@cur/runtime';
import { MODEL_EVENT_IDEMPOTENCY_PARTITION, createModelHistoryHandler, exportModelHistory, modelExportKey, modelSummaryLocation, trainingJobStateChangeEvent } from '../../src/index';

/** The export on the runtime's local ports: dynalite for the history, the state folder's lake for the system bucket, DuckDB. */
let runtime: Runtime;
let home: string;

const summary = (counts: number[]): string => JSON.stringify({ target: 'digital_native', score_distribution: { bins: counts.length, holdout_counts: counts } });

/** A `model.tar.gz` packed by Python's tarfile (PAX headers, as SageMaker's Python side packs `SM_MODEL_DIR`) or GNU tar (`./` names). */
async function archive(dir: string, files: Record<string, string>, tool: 'python' | 'gnu-tar'): Promise<Buffer> {
  const folder = join(dir, 'model');
  await mkdir(folder, { recursive: true });
  for (const [name, body] of Object.entries(files)) await writeFile(join(folder, name), body);
  const out = join(dir, 'model.tar.gz');
  if (tool === 'python') {
    const script = 'import sys, tarfile, os\nwith tarfile.open(sys.argv[2], "w:gz") as t:\n    [t.add(os.path.join(sys.argv[1], f), arcname=f) for f in sorted(os.listdir(sys.argv[1]))]';
    execFileSync('python3', ['-c', script, folder, out]);
  } else execFileSync('tar', ['-czf', out, '-C', folder, '.']);
  return readFile(out);
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cur-model-export-'));
  runtime = await createRuntime(loadPlatformConfig({ CUR_HOME: home }));
  const handle = createModelHistoryHandler(async () => ({
    keyValueStore: runtime.keyValueStore,
    idempotencyStore: await runtime.idempotencyStore('model-history', MODEL_EVENT_IDEMPOTENCY_PARTITION),
    logger: createLogger({ serviceName: 'model-export-test', logLevel: 'SILENT' }),
  }));
  const at = (s: string): Date => new Date(`2026-11-26T0${s}Z`);
  const base = { hyperparameters: { seed: '42' }, tags: { 'cur:target-tag': 'digital_native' }, trainingImage: 'local' };
  // A local training (artefact folder), an AWS one (SageMaker's model.tar.gz), a failed one, one still running.
  await handle(trainingJobStateChangeEvent({ ...base, jobName: 'cur-dev-train-a', status: 'Completed', secondaryStatus: 'Completed', createdAt: at('1:00:00'), at: at('1:00:30'), metrics: { 'validation:auc': 0.81, 'validation:log_loss': 0.4 }, modelArtifact: 'system/model-history/artefacts/cur-dev-train-a/' }));
  await handle(trainingJobStateChangeEvent({ ...base, jobName: 'cur-dev-train-b', status: 'Completed', secondaryStatus: 'Completed', createdAt: at('2:00:00'), at: at('2:00:30'), metrics: { 'validation:auc': 0.83 }, modelArtifact: 's3://cur-dev-system-123456789012/model-history/artefacts/cur-dev-train-b/output/model.tar.gz' }));
  await handle(trainingJobStateChangeEvent({ ...base, jobName: 'cur-dev-train-c', status: 'Failed', secondaryStatus: 'Failed', createdAt: at('3:00:00'), at: at('3:00:30'), failureReason: 'AlgorithmError: [TRAINING_FAILED]' }));
  await handle(trainingJobStateChangeEvent({ ...base, jobName: 'cur-dev-train-d', status: 'InProgress', secondaryStatus: 'Training', createdAt: at('4:00:00'), at: at('4:00:05') }));
  const system = runtime.blobStore('system');
  await system.put('model-history/artefacts/cur-dev-train-a/model.json', Buffer.from(summary([5, 3, 2, 0, 0, 0, 0, 0, 0, 10])));
  await system.put('model-history/artefacts/cur-dev-train-b/output/model.tar.gz', await archive(join(home, 'b'), { 'model.joblib': 'not a model', 'model.json': summary([1, 1, 1, 1, 1, 1, 1, 1, 1, 11]) }, 'python'));
});
afterAll(() => runtime.close());

describe('exportModelHistory', () => {
  it("writes model_history (a row per version and metric) and model_score_distributions (each Completed version's histogram, from its folder or its model.tar.gz), readable by DuckDB", async () => {
    // Prepare
    const engine = await DuckDbSqlEngine.open({ threads: 1 });
    const scratch = join(home, 'scratch');
    try {
      // Act
      const result = await exportModelHistory({ keyValueStore: runtime.keyValueStore, system: runtime.blobStore('system'), engine, scratchDir: scratch });

      // Assess: the objects in the system bucket, read back by a fresh DuckDB
      expect(result).toEqual({ model_history: 5, model_score_distributions: 20 });
      const file = (table: 'model_history' | 'model_score_distributions'): string => join(runtime.localLakeDir ?? '', 'system', ...modelExportKey(table).split('/'));
      const history = await engine.query(`SELECT version_id, target_tag, status, CAST(created_at AS VARCHAR) AS created_at, metric, value FROM read_parquet('${file('model_history')}')`);
      expect(history).toEqual([
        { version_id: 'cur-dev-train-a', target_tag: 'digital_native', status: 'Completed', created_at: '2026-11-26 01:00:00', metric: 'validation:auc', value: 0.81 },
        { version_id: 'cur-dev-train-a', target_tag: 'digital_native', status: 'Completed', created_at: '2026-11-26 01:00:00', metric: 'validation:log_loss', value: 0.4 },
        { version_id: 'cur-dev-train-b', target_tag: 'digital_native', status: 'Completed', created_at: '2026-11-26 02:00:00', metric: 'validation:auc', value: 0.83 },
        { version_id: 'cur-dev-train-c', target_tag: 'digital_native', status: 'Failed', created_at: '2026-11-26 03:00:00', metric: null, value: null },
        { version_id: 'cur-dev-train-d', target_tag: 'digital_native', status: 'InProgress', created_at: '2026-11-26 04:00:00', metric: null, value: null },
      ]);
      const bins = await engine.query(`SELECT version_id, sum(holdout_count)::INTEGER AS n, max(bin) AS last, max(upper) AS upper, arg_max(holdout_count, bin)::INTEGER AS top FROM read_parquet('${file('model_score_distributions')}') GROUP BY ALL ORDER BY version_id`);
      expect(bins).toEqual([
        { version_id: 'cur-dev-train-a', n: 20, last: 9, upper: 1, top: 10 },
        { version_id: 'cur-dev-train-b', n: 20, last: 9, upper: 1, top: 11 },
      ]);
    } finally {
      await engine.close();
      await rm(scratch, { recursive: true, force: true });
    }
  });
});

describe('modelSummaryLocation', () => {
  it("reads SageMaker's model.tar.gz in AWS and the artefact folder's model.json locally", () => {
    expect(modelSummaryLocation({ versionId: 'v', modelArtifact: 's3://b/model-history/artefacts/v/output/model.tar.gz' })).toEqual({ key: 'model-history/artefacts/v/output/model.tar.gz', inArchive: true });
    expect(modelSummaryLocation({ versionId: 'v', modelArtifact: 'system/model-history/artefacts/v/' })).toEqual({ key: 'model-history/artefacts/v/model.json', inArchive: false });
    // An archive outside the artefacts is not followed: the folder's key is the only other one read.
    expect(modelSummaryLocation({ versionId: 'v', modelArtifact: 's3://b/elsewhere/model.tar.gz' })).toEqual({ key: 'model-history/artefacts/v/model.json', inArchive: false });
  });
});
