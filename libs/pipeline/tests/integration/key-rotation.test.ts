import { mkdir, mkdtemp, readdir, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchLedger, createIngestionHandler, objectCreatedEvent, pushBatches } from '@cur/ingestion';
import { AuditLog, TokenService } from '@cur/masking';
import { createLogger, loadPlatformConfig } from '@cur/platform';
import { createRuntime, type Runtime } from '@cur/runtime';
import { generateLandingBatches, writeToDirectory } from '@cur/synthetic';
import { ManifestStore, rotateAndRetokenize, runPipeline, type Manifest, type PipelineDependencies, type RetokenizeResult } from '../../src/index';
import { pipelineDependencies } from '../helpers/pipeline-fixture';

const [DAY_1, DAY_2] = ['2026-11-25', '2026-11-26'] as const;
const SYSTEM = { principal: 'key-rotation-job', role: 'SYSTEM' };
const JOINED_DATASETS = ['account_balance', 'card_transaction', 'customer_profile', 'digital_activity'];

/**
 * A local platform whose first business date is ingested and run through the pipeline (masked under national_id
 * version 1); the second date's extracts wait in a folder, to be pushed after a rotation.
 */
async function platformWithOneDateRun(seed: number): Promise<{ runtime: Runtime; deps: PipelineDependencies; tokens: TokenService; pushDay2: () => Promise<void> }> {
  const home = await mkdtemp(join(tmpdir(), 'cur-rotation-'));
  const extracts = await mkdtemp(join(tmpdir(), 'cur-rotation-extracts-'));
  await generateLandingBatches({ customers: 150, days: 2, seed }, writeToDirectory(extracts));
  const day2 = join(extracts, 'day2');
  await mkdir(day2);
  for (const name of await readdir(extracts)) if (name.includes(DAY_2.replaceAll('-', ''))) await rename(join(extracts, name), join(day2, name));
  const runtime = await createRuntime(loadPlatformConfig({ CUR_HOME: home }));
  const ledger = new BatchLedger(runtime.keyValueStore);
  const landing = runtime.blobStore('landing');
  const handle = createIngestionHandler(() =>
    Promise.resolve({ landing, quarantine: runtime.blobStore('quarantine'), ledger, onAccepted: () => Promise.resolve(), logger: createLogger({ serviceName: 'test', logLevel: 'SILENT' }) }),
  );
  const push = async (dir: string): Promise<void> => {
    for (const pushed of await pushBatches(dir, landing, { ledger })) if (pushed.status === 'pushed') await handle(objectCreatedEvent('landing', pushed.controlKey, 1));
  };
  await push(extracts);
  const deps = await pipelineDependencies(runtime);
  expect((await runPipeline(deps)).status).toBe('succeeded');
  // The job's token service shares the pipeline's key ring, so the rebuild masks with the version it makes active.
  const tokens = new TokenService({ keyRing: deps.maskers.keyRing, policy: deps.policy, audit: new AuditLog(runtime.keyValueStore) });
  return { runtime, deps, tokens, pushDay2: () => push(day2) };
}

/** Rows of a published partition's files, through the pipeline's engine. */
async function rowsOf(deps: PipelineDependencies, bucket: 'raw' | 'transformed', manifest: Manifest | undefined, select: string): Promise<Record<string, unknown>[]> {
  if (!manifest) throw new Error('no manifest');
  await deps.engine.registerParquetView('probe', manifest.files.map((key) => deps.locate(bucket, key)));
  return deps.engine.query(select.replace('{}', 'probe'));
}

/** How many day-1 customers of customer_profile are found, by token, in day 2's customer_profile. */
async function customersJoinedAcrossDates(deps: PipelineDependencies, zone: 'raw' | 'transformed'): Promise<{ day1: number; joined: number }> {
  const manifests = new ManifestStore(deps.buckets.system);
  const [first, second] = [await manifests.get(zone, 'customer_profile', DAY_1), await manifests.get(zone, 'customer_profile', DAY_2)];
  if (!first || !second) throw new Error('missing customer_profile partition');
  await deps.engine.registerParquetView('day1', first.files.map((key) => deps.locate(zone, key)));
  await deps.engine.registerParquetView('day2', second.files.map((key) => deps.locate(zone, key)));
  const [row] = await deps.engine.query('SELECT (SELECT count(DISTINCT cust_id) FROM day1) AS day1, (SELECT count(DISTINCT cust_id) FROM day1 WHERE cust_id IN (SELECT cust_id FROM day2)) AS joined');
  return { day1: Number(row?.['day1']), joined: Number(row?.['joined']) };
}

describe('Function: rotateAndRetokenize', () => {
  let runtime: Runtime;
  let deps: PipelineDependencies;
  let tokens: TokenService;
  let before: Map<string, Manifest>;
  let result: RetokenizeResult;
  let day1Before: Record<string, unknown>[];
  const startedOn = new Date().toISOString().slice(0, 10);
  beforeAll(async () => {
    let pushDay2: () => Promise<void>;
    ({ runtime, deps, tokens, pushDay2 } = await platformWithOneDateRun(7));
    const manifests = new ManifestStore(deps.buckets.system);
    before = new Map();
    for (const dataset of JOINED_DATASETS) before.set(dataset, (await manifests.get('raw', dataset, DAY_1)) as Manifest);
    day1Before = await rowsOf(deps, 'raw', before.get('customer_profile'), 'SELECT * FROM {} ORDER BY source_row');
    result = await rotateAndRetokenize({ pipeline: deps, tokens }, SYSTEM, 'national_id');
    // The second business date arrives after the rotation and is masked under the new version.
    await pushDay2();
    expect((await runPipeline(deps)).status).toBe('succeeded');
  }, 180_000);
  afterAll(async () => {
    await deps.engine.close();
    await runtime.close();
  });

  it('rotates national_id and rewrites every published raw partition holding its tokens to the new version', async () => {
    expect(result).toMatchObject({ keyGroup: 'national_id', toVersion: 2, status: 'succeeded', businessDates: [DAY_1] });
    expect(result.partitions.map((partition) => partition.dataset).sort()).toEqual(JOINED_DATASETS);
    for (const partition of result.partitions) expect(partition.fromVersions).toEqual({ cust_id: 1 });
    const manifests = new ManifestStore(deps.buckets.system);
    for (const dataset of JOINED_DATASETS) {
      const after = await manifests.get('raw', dataset, DAY_1);
      expect(after, dataset).toMatchObject({ step: 'retokenize', rowCount: before.get(dataset)?.rowCount, keyVersions: { ...before.get(dataset)?.keyVersions, cust_id: 2 } });
      expect(after?.files, dataset).not.toEqual(before.get(dataset)?.files);
    }
  });

  it('keeps a join across a pre-rotation and a post-rotation date matching, in raw and after the rebuild', async () => {
    const raw = await customersJoinedAcrossDates(deps, 'raw');
    const transformed = await customersJoinedAcrossDates(deps, 'transformed');

    // The generator keeps its customers from one day to the next.
    expect(raw.joined).toBeGreaterThan(raw.day1 * 0.9);
    expect(transformed.joined).toBeGreaterThan(transformed.day1 * 0.9);
    const profile = new ManifestStore(deps.buckets.system);
    expect((await profile.get('raw', 'customer_profile', DAY_2))?.keyVersions['cust_id']).toBe(2);
    expect((await profile.get('transformed', 'customer_profile', DAY_1))?.keyVersions['cust_id']).toBe(2);
  });

  it('changes only the key group’s column: same rows, same order, same types, each token the same person’s', async () => {
    const after = await new ManifestStore(deps.buckets.system).get('raw', 'customer_profile', DAY_1);
    const day1After = await rowsOf(deps, 'raw', after, 'SELECT * FROM {} ORDER BY source_row');
    const typesBefore = await rowsOf(deps, 'raw', before.get('customer_profile'), 'SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM {})');
    const typesAfter = await rowsOf(deps, 'raw', after, 'SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM {})');

    expect(typesAfter).toEqual(typesBefore);
    expect(day1After.map(({ cust_id: _id, ...rest }) => rest)).toEqual(day1Before.map(({ cust_id: _id, ...rest }) => rest));
    const oldTokens = day1Before.map((row) => row['cust_id'] as string);
    const newTokens = day1After.map((row) => row['cust_id'] as string);
    expect(newTokens.filter((token, i) => token === oldTokens[i])).toEqual([]);
    const batch = { dataset: 'customer_profile', column: 'cust_id' };
    const plaintextOld = await tokens.detokenize(SYSTEM, { ...batch, values: oldTokens, keyVersion: 1 });
    expect(await tokens.detokenize(SYSTEM, { ...batch, values: newTokens, keyVersion: 2 })).toEqual(plaintextOld);
  });

  it('audits every re-tokenisation with counts, never values', async () => {
    // The days the job may have written on: a run across midnight (UTC) spans two.
    const days = [...new Set([startedOn, new Date().toISOString().slice(0, 10)])];
    const entries = (await Promise.all(days.map((day) => new AuditLog(runtime.keyValueStore).day(day)))).flat();
    const retokenized = entries.filter((entry) => entry.operation === 'retokenize');

    expect(retokenized.map((entry) => entry.dataset).sort()).toEqual(JOINED_DATASETS);
    for (const entry of retokenized) expect(entry).toMatchObject({ principal: SYSTEM.principal, role: 'SYSTEM', outcome: 'allowed', column: 'cust_id', keyGroup: 'national_id' });
    expect(entries.filter((entry) => entry.operation === 'rotate' && entry.outcome === 'allowed')).toEqual([expect.objectContaining({ keyGroup: 'national_id' })]);
    const text = JSON.stringify(entries);
    for (const row of day1Before.slice(0, 20)) expect(text).not.toContain(String(row['cust_id']));
  });
});

describe('Function: rotateAndRetokenize, refusals', () => {
  let runtime: Runtime;
  let deps: PipelineDependencies;
  let tokens: TokenService;
  let pushDay2: () => Promise<void>;
  beforeAll(async () => {
    ({ runtime, deps, tokens, pushDay2 } = await platformWithOneDateRun(8));
  }, 180_000);
  afterAll(async () => {
    await deps.engine.close();
    await runtime.close();
  });

  it('refuses a DM, and rotates nothing', async () => {
    await expect(rotateAndRetokenize({ pipeline: deps, tokens }, { principal: 'dm-1', role: 'DM' }, 'national_id')).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    expect(await deps.maskers.keyRing.activeVersion('national_id')).toBe(1);
  });

  it('refuses before rotating when a partition does not record the version its tokens were made with', async () => {
    const manifests = new ManifestStore(deps.buckets.system);
    const manifest = (await manifests.get('raw', 'card_transaction', DAY_1)) as Manifest;
    const { cust_id: _dropped, ...others } = manifest.keyVersions;
    await manifests.publish({ ...manifest, keyVersions: others });
    try {
      await expect(rotateAndRetokenize({ pipeline: deps, tokens }, SYSTEM, 'national_id')).rejects.toMatchObject({ code: 'KEY_VERSION_UNKNOWN' });
      expect(await deps.maskers.keyRing.activeVersion('national_id')).toBe(1);
    } finally {
      await manifests.publish(manifest);
    }
  });

  it('is the only way to rotate national_id: a bare rotation is refused with the flag that does it', async () => {
    await expect(tokens.rotate(SYSTEM, 'national_id')).rejects.toMatchObject({ code: 'ROTATION_BREAKS_JOINS' });
    await expect(tokens.rotate(SYSTEM, 'national_id')).rejects.toThrow(/--retokenize/);
  });

  it('would otherwise break the join silently: after a bare key-ring rotation no day-1 customer is found on day 2', async () => {
    // What `cur keys rotate national_id` did before: a new version, nothing re-tokenised, every run still succeeding.
    await deps.maskers.keyRing.rotate('national_id');
    await pushDay2();

    expect((await runPipeline(deps)).status).toBe('succeeded');
    const raw = await customersJoinedAcrossDates(deps, 'raw');
    expect(raw.day1).toBeGreaterThan(100);
    expect(raw.joined).toBe(0);
  }, 120_000);
});
