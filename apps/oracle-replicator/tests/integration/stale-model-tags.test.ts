import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManifestStore } from '@cur/lake';
import { loadPlatformConfig } from '@cur/platform';
import { replicaTable } from '@cur/replication';
import { createKeyValuePorts } from '@cur/runtime/key-value-store';
import { handleOracleReplicator, type OracleReplicatorOutcome } from '../../src/handler';
import { createOracleReplicatorDependencies, type OracleReplicatorDependencies } from '../../src/wiring';

const DATE = '2026-11-25';

/** Publishes a partition as the pipeline does: a DuckDB-written Parquet file and its manifest, by `runId`. */
async function publish(home: string, dataset: 'customer_features' | 'model_tags', runId: string, select: string): Promise<void> {
  const { DuckDbSqlEngine, FsBlobStore } = await import('@cur/adapters-local');
  const scratch = await mkdtemp(join(tmpdir(), 'cur-seed-'));
  const engine = await DuckDbSqlEngine.open();
  try {
    const file = join(scratch, 'part.parquet');
    const rowCount = await engine.writeParquet(select, file);
    const bytes = await readFile(file);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const key = `${dataset}/business_date=${DATE}/part-${sha256.slice(0, 16)}.parquet`;
    await new FsBlobStore(join(home, 'lake'), 'consumption').put(key, bytes);
    await new ManifestStore(new FsBlobStore(join(home, 'lake'), 'system')).publish({
      dataset, zone: 'consumption', businessDate: DATE, step: dataset === 'model_tags' ? 'score' : 'consumption', runId, files: [key], rowCount,
      contentSha256: sha256, schemaSha256: 'seed', inputs: [], counts: {}, keyVersions: {}, startedAt: new Date().toISOString(), durationMs: 0,
    });
  } finally {
    await engine.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

const modelTags = (version: string): string => `SELECT * FROM (VALUES ('v1.tokA', 'digital_native_propensity', '${version}', DATE '${DATE}'), ('v1.tokB', 'digital_native_propensity', '${version}', DATE '${DATE}')) AS t(cust_id, tag, model_version, business_date)`;
const features = `SELECT 'v1.tokA' AS cust_id, DATE '${DATE}' AS business_date`;

/** `Layer Published` for the score step's model_tags of the date, as the pipeline announces it. */
const modelTagsPublished = { version: '0', id: 'e1', 'detail-type': 'Layer Published', source: 'cur.platform', account: '123456789012', time: '2026-11-25T22:45:00Z', region: 'ap-northeast-1', resources: [], detail: { step: 'score', zone: 'consumption', datasets: ['model_tags'], businessDate: DATE, manifestKey: `manifests/consumption/model_tags/business_date=${DATE}.json`, rowCount: 2 } };

let home: string;
let deps: OracleReplicatorDependencies;
const replicate = async (): Promise<OracleReplicatorOutcome> => handleOracleReplicator(modelTagsPublished, () => Promise.resolve(deps));
const replicaRows = async (): Promise<number> => {
  let rows = 0;
  for await (const _row of deps.target.readRows(replicaTable('model_tags'), DATE)) rows += 1;
  return rows;
};
/** The model history's scoring pointer, as `cur model promote` and `rollback` leave it in its table. */
const promote = async (versionId: string | undefined): Promise<void> => {
  const ports = await createKeyValuePorts(loadPlatformConfig({ CUR_HOME: home }));
  try {
    if (versionId === undefined) await ports.keyValueStore.delete('model-history', { pk: 'scoring', sk: 'current' });
    else await ports.keyValueStore.put('model-history', { pk: 'scoring', sk: 'current', versionId, revision: 1, promoted: [versionId] });
  } finally {
    await ports.close();
  }
};

describe('the replica and stale model tags (a version no longer promoted, or features rebuilt unscored)', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'cur-replicator-'));
    await publish(home, 'customer_features', 'run-1', features);
    await publish(home, 'model_tags', 'run-1', modelTags('cur-model-a'));
    deps = await createOracleReplicatorDependencies({ CUR_HOME: home });
  });
  afterAll(async () => {
    await deps.close();
  });

  it('replicates model tags scored from the date\'s features by the promoted version', async () => {
    await promote('cur-model-a');

    const outcome = await replicate();

    expect(outcome).toMatchObject({ outcome: 'replicated', report: { status: 'matched', tables: [{ dataset: 'model_tags', status: 'matched', loadedRows: 2 }] } });
    expect(await replicaRows()).toBe(2);
  });

  it('empties the date of them once another version is promoted (or the first one rolled back)', async () => {
    await promote('cur-model-b');

    const outcome = await replicate();

    expect(outcome).toMatchObject({ outcome: 'replicated', report: { status: 'matched', tables: [{ dataset: 'model_tags', status: 'not-current', reason: 'scored by a model version that is not the promoted one', target: { rows: 0 } }] } });
    expect(await replicaRows()).toBe(0);
  });

  it('replicates them again once their version is promoted again, and empties them while none is', async () => {
    await promote('cur-model-a');
    await replicate();
    expect(await replicaRows()).toBe(2);

    await promote(undefined);
    const outcome = await replicate();

    expect(outcome).toMatchObject({ report: { tables: [{ status: 'not-current', reason: 'no model version is promoted' }] } });
    expect(await replicaRows()).toBe(0);
  });

  it('leaves them out once the date\'s features are rebuilt by a run that did not score them', async () => {
    await promote('cur-model-a');
    await publish(home, 'customer_features', 'run-2', features);

    const outcome = await replicate();

    expect(outcome).toMatchObject({ report: { tables: [{ status: 'not-current', reason: `not scored from the published customer_features of ${DATE}` }] } });
    expect(await replicaRows()).toBe(0);
  });
});
