/**
 * The mask step's disk at its peak on one batch: `npx tsx tools/bench/src/mask-spill-profile.ts --extracts DIR
 * --dataset card_transaction [--memory 512MiB]`. Pushes and ingests that dataset's batch from a folder of generated
 * extracts (e.g. `npm run bench:pipeline -- --extracts DIR`'s kept ones) into a fresh state folder, masks it as
 * `cur run` does (DuckDB at the memory limit, spilling to the SYSTEM scratch area, the step's scratch beside it, a batch
 * under 30% of the limit staged in memory), and
 * prints one JSON line: rows, seconds, and the peak bytes of the whole SYSTEM scratch area (DuckDB's spill, the
 * step's staged database, the Parquet file before upload), sampled every 250 ms. Counts and sizes only.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDbSqlEngine, parseEngineMemoryLimit } from '@cur/adapters-local';
import { KeyRing } from '@cur/masking';
import { ManifestStore, runMaskStep, maskStagingFor } from '@cur/pipeline';
import { createMaskingPolicy } from '@cur/policy';
import { ingestExtracts } from './ingested-state';
import { bytesUnder } from './bytes-under';
import { OpenedResources } from './opened-resources';
import { sampleEvery } from './sample-every';

const { values } = parseArgs({ options: { extracts: { type: 'string' }, dataset: { type: 'string', default: 'card_transaction' }, memory: { type: 'string', default: '4GiB' } } });
if (!values.extracts) throw new Error('--extracts DIR is required: a folder of generated extracts');
const dataset = values.dataset ?? 'card_transaction';

const home = await mkdtemp(join(tmpdir(), 'cur-mask-spill-'));
const opened = new OpenedResources();
try {
  // Only the one dataset's files.
  const { runtime, ledger, landing, lake, spill, scratchDir, systemScratch, batches } = await ingestExtracts(home, values.extracts, (name) => name.startsWith(`${dataset}_`));
  opened.add(runtime);
  const batch = batches.find((entry) => entry.dataset === dataset);
  if (!batch) throw new Error(`no ${dataset} batch was ingested from ${values.extracts}`);
  const engine = opened.add(await DuckDbSqlEngine.open({ threads: 2, memoryLimit: values.memory, tempDirectory: spill }));
  let peak = 0;
  const sampler = sampleEvery(250, async () => void (peak = Math.max(peak, await bytesUnder(systemScratch))));
  const started = performance.now();
  const manifest = await runMaskStep(
    { landing, raw: runtime.blobStore('raw'), manifests: new ManifestStore(runtime.blobStore('system')), ledger, engine, policy: createMaskingPolicy(), maskers: { keyRing: new KeyRing(runtime.keyValueStore, runtime.keyVault()) }, runId: 'mask-spill-profile', scratchDir, landingPath: (key) => join(lake, 'landing', ...key.split('/')), ...maskStagingFor(parseEngineMemoryLimit(values.memory ?? '4GiB')) },
    batch,
  );
  const seconds = (performance.now() - started) / 1000;
  await sampler.stop();
  await opened.release(engine);
  const rawBytes = await bytesUnder(join(lake, 'raw'));
  process.stdout.write(
    `${JSON.stringify({ dataset, rows: manifest.rowCount, memoryLimit: values.memory, seconds: Number(seconds.toFixed(1)), peakScratchBytes: peak, peakBytesPerRow: Number((peak / manifest.rowCount).toFixed(1)), rawParquetBytes: rawBytes, leftInScratch: await bytesUnder(systemScratch), load: loadavg()[0] })}\n`,
  );
} finally {
  await opened.closeAll();
  await rm(home, { recursive: true, force: true });
}
