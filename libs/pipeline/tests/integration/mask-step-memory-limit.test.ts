import { createReadStream } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbSqlEngine, MIN_ENGINE_MEMORY_BYTES } from '@cur/adapters-local';
import type { BatchAccepted } from '@cur/contracts';
import type { Runtime } from '@cur/runtime';
import { ManifestStore, runMaskStep } from '../../src/index';
import { ingestedPlatform, pipelineDependencies } from '../helpers/pipeline-fixture';

/** The files under `dir` and their sizes, recursively. */
async function filesUnder(dir: string): Promise<Map<string, number>> {
  const files = new Map<string, number>();
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(path, await stat(path).then((info) => info.size, () => 0));
  }
  return files;
}

/** The bytes of a landing file as the engine reads it: a gzip file's CSV, uncompressed. */
async function csvBytes(path: string): Promise<number> {
  let bytes = 0;
  const stream = path.endsWith('.gz') ? createReadStream(path).pipe(createGunzip()) : createReadStream(path);
  for await (const chunk of stream) bytes += (chunk as Buffer).length;
  return bytes;
}

let runtime: Runtime;
// About 1.75M card transactions, some 150 MB of CSV: larger than the engine's smallest memory limit (128 MiB).
beforeAll(async () => ({ runtime } = await ingestedPlatform({ customers: 35_000, days: 1, seed: 18, cardActivity: 50 })), 300_000);
afterAll(() => runtime?.close());

describe('the mask step under a small memory limit', () => {
  it('masks a batch larger than the limit by spilling to its scratch area, and leaves no spill file behind', async () => {
    // Prepare: the smallest limit, spilling where cur run spills: inside the SYSTEM scratch the step is given.
    const deps = await pipelineDependencies(runtime);
    await deps.engine.close();
    const scratchDir = runtime.localScratchDir ?? '';
    const spill = join(scratchDir, 'duckdb-spill');
    await mkdir(scratchDir, { recursive: true, mode: 0o700 });
    const engine = await DuckDbSqlEngine.open({ threads: 2, memoryLimit: `${MIN_ENGINE_MEMORY_BYTES / 2 ** 20}MiB`, tempDirectory: spill });
    const record = (await deps.ledger.list()).map((entry) => entry.record).find((entry) => entry?.dataset === 'card_transaction');
    if (!record) throw new Error('no card_transaction batch was ingested');
    const batch: BatchAccepted = { batchId: record.batchId, dataset: record.dataset, businessDate: record.businessDate, rowCount: record.rowCount, dataKey: record.dataKey, controlKey: record.controlKey };
    const landingFile = deps.locate('landing', batch.dataKey);
    expect(await csvBytes(landingFile)).toBeGreaterThan(MIN_ENGINE_MEMORY_BYTES);

    // Act: mask it, watching the whole state folder for DuckDB's spill files.
    const spillFiles = new Set<string>();
    let peakSpillBytes = 0;
    let watching = true;
    const watch = (async () => {
      while (watching) {
        const files = await filesUnder(spill);
        for (const path of files.keys()) spillFiles.add(path);
        peakSpillBytes = Math.max(peakSpillBytes, [...files.values()].reduce((sum, size) => sum + size, 0));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const manifests = new ManifestStore(deps.buckets.system);
    const manifest = await runMaskStep(
      { landing: deps.buckets.landing, raw: deps.buckets.raw, manifests, ledger: deps.ledger, engine, policy: deps.policy, maskers: deps.maskers, runId: 'test', scratchDir, landingPath: (key) => deps.locate('landing', key) },
      batch,
    ).finally(() => (watching = false));
    await watch;
    const [setting] = await engine.query("SELECT current_setting('memory_limit') AS limit");
    const left = await filesUnder(spill);
    const stageFolders = (await readdir(scratchDir)).filter((name) => name.startsWith('mask-'));
    await engine.close();

    // Assess: it spilled, only into the scratch area's spill folder, succeeded with every row, and the files are gone.
    expect(String(setting?.['limit'])).toMatch(/^1[23]\d\.\d MiB$/);
    expect(peakSpillBytes).toBeGreaterThan(0);
    for (const path of spillFiles) expect(relative(scratchDir, path).startsWith('..')).toBe(false);
    expect(manifest.rowCount).toBe(batch.rowCount);
    expect(manifest.counts).toMatchObject({ rowsIn: batch.rowCount, rowsOut: batch.rowCount });
    expect([...left.keys()]).toEqual([]);
    // The staged rows' database file (plaintext) was in the step's own scratch folder, removed with it.
    expect(stageFolders).toEqual([]);
  }, 600_000);
});
