import { cp, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchAccepted } from '@cur/contracts';
import type { Runtime } from '@cur/runtime';
import { createContentVerifier } from '@cur/lake';
import { ManifestStore, runMaskStep } from '../../src/index';
import { engineWith, ingestedPlatform, pipelineDependencies } from '../helpers/pipeline-fixture';

let runtime: Runtime;
/** Landing as ingestion left it: the tests mask batches again, and each mask step deletes its batch from landing. */
let ingestedLanding: string;
beforeAll(async () => {
  ({ runtime } = await ingestedPlatform({ customers: 400, days: 1, seed: 9 }));
  ingestedLanding = await mkdtemp(join(tmpdir(), 'cur-landing-ingested-'));
  await cp(join(runtime.localLakeDir ?? '', 'landing'), ingestedLanding, { recursive: true });
}, 60_000);
afterAll(() => runtime.close());

/** The ingested batch of a dataset, as the pipeline receives it. */
async function ingestedBatch(deps: Awaited<ReturnType<typeof pipelineDependencies>>, dataset: string): Promise<BatchAccepted> {
  const record = (await deps.ledger.list()).map((entry) => entry.record).find((entry) => entry?.dataset === dataset);
  if (!record) throw new Error(`no ${dataset} batch was ingested`);
  return { batchId: record.batchId, dataset: record.dataset, businessDate: record.businessDate, rowCount: record.rowCount, dataKey: record.dataKey, controlKey: record.controlKey };
}

describe('the mask step', () => {
  it('writes the same raw bytes for a Big5 batch through the engine (transcoded) as through the JavaScript reader', async () => {
    const deps = await pipelineDependencies(runtime);
    const lake = runtime.localLakeDir ?? '';
    const batch = await ingestedBatch(deps, 'customer_profile');
    expect(JSON.parse(await readFile(join(lake, 'landing', ...batch.controlKey.split('/')), 'utf8'))).toMatchObject({ encoding: 'big5' });
    // The mask step deletes landing once masked: keep a copy to mask the same batch a second way.
    const saved = await mkdtemp(join(tmpdir(), 'cur-landing-copy-'));
    await cp(join(lake, 'landing'), saved, { recursive: true });
    const common = { landing: deps.buckets.landing, raw: deps.buckets.raw, manifests: new ManifestStore(deps.buckets.system), ledger: deps.ledger, engine: deps.engine, policy: deps.policy, maskers: deps.maskers, runId: 'test', scratchDir: await mkdtemp(join(tmpdir(), 'cur-scratch-')) };

    // Row by row loading is the JavaScript reader's: the engine path must not use it.
    let rowLoads = 0;
    const real = deps.engine;
    const engine = engineWith(real, { loadRows: (...args) => ((rowLoads += 1), real.loadRows(...args)) });
    const throughEngine = await runMaskStep({ ...common, engine, landingPath: (key) => deps.locate('landing', key) }, batch);
    expect(rowLoads).toBe(0);
    await cp(saved, join(lake, 'landing'), { recursive: true });
    const throughJavaScript = await runMaskStep({ ...common, engine }, batch);
    expect(rowLoads).toBe(1);
    await deps.engine.close();

    expect(throughEngine.rowCount).toBe(batch.rowCount);
    expect(throughEngine.contentSha256).toBe(throughJavaScript.contentSha256);
  });

  it('writes the same raw bytes whether it stages a batch in memory (under stageInMemoryUpToBytes) or in a database file', async () => {
    const deps = await pipelineDependencies(runtime);
    const lake = runtime.localLakeDir ?? '';
    const batch = await ingestedBatch(deps, 'card_transaction');
    const saved = await mkdtemp(join(tmpdir(), 'cur-landing-copy-'));
    await cp(join(lake, 'landing'), saved, { recursive: true });
    const real = deps.engine;
    const attached: string[] = [];
    const engine = engineWith(real, { execute: (sql) => (sql.startsWith('ATTACH') && attached.push(sql), real.execute(sql)) });
    const common = { landing: deps.buckets.landing, raw: deps.buckets.raw, manifests: new ManifestStore(deps.buckets.system), ledger: deps.ledger, engine, policy: deps.policy, maskers: deps.maskers, runId: 'test', scratchDir: await mkdtemp(join(tmpdir(), 'cur-scratch-')), landingPath: (key: string) => deps.locate('landing', key) };

    const inFile = await runMaskStep(common, batch);
    await cp(saved, join(lake, 'landing'), { recursive: true });
    const inMemory = await runMaskStep({ ...common, stageInMemoryUpToBytes: 2 ** 30 }, batch);
    await real.close();

    expect(attached).toEqual([expect.stringMatching(/^ATTACH '.*stage\.duckdb' AS /), expect.stringMatching(/^ATTACH ':memory:' AS /)]);
    expect(inMemory.rowCount).toBe(batch.rowCount);
    expect(inMemory.contentSha256).toBe(inFile.contentSha256);
    // Neither way leaves a staged database behind.
    expect(await readdir(common.scratchDir)).toEqual([]);
  });

  it('writes a batch staged in a database file as one raw file per rowsPerRawFile rows: the same rows in order, one verifiable hash', async () => {
    const deps = await pipelineDependencies(runtime);
    const lake = runtime.localLakeDir ?? '';
    const batch = await ingestedBatch(deps, 'card_transaction');
    await cp(ingestedLanding, join(lake, 'landing'), { recursive: true });
    const real = deps.engine;
    const common = { landing: deps.buckets.landing, raw: deps.buckets.raw, manifests: new ManifestStore(deps.buckets.system), ledger: deps.ledger, engine: real, policy: deps.policy, maskers: deps.maskers, runId: 'test', scratchDir: await mkdtemp(join(tmpdir(), 'cur-scratch-')), landingPath: (key: string) => deps.locate('landing', key) };
    const rowsOf = async (files: readonly string[]): Promise<unknown[]> => real.query(`SELECT * FROM read_parquet([${files.map((key) => `'${deps.locate('raw', key)}'`).join(', ')}])`);
    const rowsPerRawFile = Math.ceil(batch.rowCount / 4) + 1;

    const whole = await runMaskStep(common, batch);
    const wholeRows = await rowsOf(whole.files);
    await cp(ingestedLanding, join(lake, 'landing'), { recursive: true });
    const inPieces = await runMaskStep({ ...common, rowsPerRawFile }, batch);
    const pieceRows = await rowsOf(inPieces.files);
    // Each file holds its own range of rows, in order: what the transform's parts check before it goes in parts.
    const ranges = await real.query(
      `SELECT filename, min(source_row) AS first, max(source_row) AS last, count(*) AS n FROM read_parquet([${inPieces.files.map((key) => `'${deps.locate('raw', key)}'`).join(', ')}], filename = true) GROUP BY filename`,
    );
    await real.close();

    expect(whole.files).toHaveLength(1);
    expect(inPieces.files).toHaveLength(4);
    expect(pieceRows).toEqual(wholeRows);
    const byFile = new Map(ranges.map((range) => [String(range['filename']), range]));
    const spans = inPieces.files.map((key) => byFile.get(deps.locate('raw', key)));
    expect(spans.map((span) => Number(span?.['first']))).toEqual([0, 1, 2, 3].map((i) => i * rowsPerRawFile + 1));
    expect(spans.map((span) => Number(span?.['n']))).toEqual([rowsPerRawFile, rowsPerRawFile, rowsPerRawFile, batch.rowCount - 3 * rowsPerRawFile]);
    await createContentVerifier(() => deps.buckets.raw)(inPieces);
    expect(await readdir(common.scratchDir)).toEqual([]);
  });

  it.each(['card_transaction', 'customer_profile'])(
    'masks a %s batch larger than stageInMemoryUpToBytes in parts staged in memory: the same rows, several files, one verifiable hash',
    async (dataset) => {
      const deps = await pipelineDependencies(runtime);
      const lake = runtime.localLakeDir ?? '';
      const batch = await ingestedBatch(deps, dataset);
      await cp(ingestedLanding, join(lake, 'landing'), { recursive: true });
      const real = deps.engine;
      const attached: string[] = [];
      const engine = engineWith(real, { execute: (sql) => (sql.startsWith('ATTACH') && attached.push(sql), real.execute(sql)) });
      const common = { landing: deps.buckets.landing, raw: deps.buckets.raw, manifests: new ManifestStore(deps.buckets.system), ledger: deps.ledger, engine, policy: deps.policy, maskers: deps.maskers, runId: 'test', scratchDir: await mkdtemp(join(tmpdir(), 'cur-scratch-')), landingPath: (key: string) => deps.locate('landing', key) };
      const rowsOf = async (files: readonly string[]): Promise<unknown[]> => real.query(`SELECT * FROM read_parquet([${files.map((key) => `'${deps.locate('raw', key)}'`).join(', ')}])`);

      const whole = await runMaskStep({ ...common, stageInMemoryUpToBytes: 2 ** 30 }, batch);
      const wholeRows = await rowsOf(whole.files);
      await cp(ingestedLanding, join(lake, 'landing'), { recursive: true });
      const inParts = await runMaskStep({ ...common, stageInMemoryUpToBytes: 8_000 }, batch);
      const partRows = await rowsOf(inParts.files);
      await real.close();

      // Every part in memory; the same rows in the same order, with row numbers running on across the parts.
      expect(whole.files).toHaveLength(1);
      expect(inParts.files.length).toBeGreaterThan(3);
      expect(attached.every((sql) => sql.includes("':memory:'"))).toBe(true);
      expect(inParts.rowCount).toBe(batch.rowCount);
      expect(inParts.counts).toEqual({ rowsIn: batch.rowCount, rowsOut: batch.rowCount });
      expect(partRows).toEqual(wholeRows);
      // The manifest's hash is of the parts' bytes in order: what the lake's verifier checks.
      await createContentVerifier(() => deps.buckets.raw)(inParts);
      // No part, staged database or Parquet file is left in the scratch folder.
      expect(await readdir(common.scratchDir)).toEqual([]);
    },
  );

  it('refuses to write raw when the tokens joined back are fewer than the values the column holds, and keeps landing', async () => {
    const deps = await pipelineDependencies(runtime);
    const lake = runtime.localLakeDir ?? '';
    const batch = await ingestedBatch(deps, 'account_balance');
    const real = deps.engine;
    // The real engine, except that one value's token is lost on its way in: what a value the join misses looks like.
    const engine = engineWith(real, { loadColumn: (table, values) => real.loadColumn(table, values.map((value, i) => (i === 0 ? null : value))) });
    const manifests = new ManifestStore(deps.buckets.system);
    const run = runMaskStep({ landing: deps.buckets.landing, raw: deps.buckets.raw, manifests, ledger: deps.ledger, engine, policy: deps.policy, maskers: deps.maskers, runId: 'test', scratchDir: await mkdtemp(join(tmpdir(), 'cur-scratch-')), landingPath: (key) => deps.locate('landing', key) }, batch);
    await expect(run).rejects.toMatchObject({ code: 'MASKING_INCOMPLETE' });
    expect(await manifests.get('raw', 'account_balance', batch.businessDate)).toBeUndefined();
    await expect(readFile(join(lake, 'landing', ...batch.dataKey.split('/')))).resolves.toBeDefined();
    // Nothing that held plaintext is left in the engine.
    expect(await real.query("SELECT table_name FROM information_schema.tables WHERE table_name LIKE '%account_balance%'")).toEqual([]);
    await real.close();
  });
});
