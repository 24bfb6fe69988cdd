import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BatchAccepted } from '@cur/contracts';
import { BatchLedger, createIngestionHandler, objectCreatedEvent, pushBatches } from '@cur/ingestion';
import type { BlobStore } from '@cur/platform';
import { createLogger, loadPlatformConfig } from '@cur/platform';
import { sweepScratchFolder } from '@cur/pipeline';
import { createRuntime, type Runtime } from '@cur/runtime';

/** A fresh state folder with a folder of extracts pushed and ingested, laid out as `cur run` finds it. */
export interface IngestedState {
  readonly runtime: Runtime;
  readonly ledger: BatchLedger;
  readonly landing: BlobStore;
  /** The lake folder (`<state>/lake`). */
  readonly lake: string;
  /** DuckDB's spill folder in the SYSTEM scratch area, empty. */
  readonly spill: string;
  /** The pipeline's scratch folder beside it, empty. */
  readonly scratchDir: string;
  /** The SYSTEM scratch area holding both. */
  readonly systemScratch: string;
  /** The accepted batches, largest first (the order `cur run` masks them in). */
  readonly batches: BatchAccepted[];
}

/**
 * Pushes and ingests the extracts of `extracts` whose file names `accept` takes into a new state folder under
 * `home` (`<home>/state`), as `cur push` and the ingestion handler do. The copies the push reads are deleted once
 * landed.
 */
export async function ingestExtracts(home: string, extracts: string, accept: (fileName: string) => boolean = () => true): Promise<IngestedState> {
  // The push takes a folder: only the accepted files, copied beside the state.
  const folder = join(home, 'extracts');
  await mkdir(folder, { mode: 0o700 });
  for (const name of await readdir(extracts)) if (!name.endsWith('.json') && accept(name)) await copyFile(join(extracts, name), join(folder, name));
  const runtime = await createRuntime(loadPlatformConfig({ CUR_HOME: join(home, 'state'), POWERTOOLS_LOG_LEVEL: 'ERROR' }));
  const ledger = new BatchLedger(runtime.keyValueStore);
  const landing = runtime.blobStore('landing');
  const handle = createIngestionHandler(() => Promise.resolve({ landing, quarantine: runtime.blobStore('quarantine'), ledger, onAccepted: () => Promise.resolve(), logger: createLogger({ serviceName: 'bench', logLevel: 'ERROR' }) }));
  for (const pushed of await pushBatches(folder, landing, { ledger })) if (pushed.status === 'pushed') await handle(objectCreatedEvent('landing', pushed.controlKey, pushed.bytes));
  await rm(folder, { recursive: true, force: true });
  const batches: BatchAccepted[] = [];
  for (const { record } of await ledger.list()) {
    if (record?.status !== 'ACCEPTED') continue;
    batches.push({ batchId: record.batchId, dataset: record.dataset, businessDate: record.businessDate, rowCount: record.rowCount, dataKey: record.dataKey, controlKey: record.controlKey });
  }
  batches.sort((a, b) => b.rowCount - a.rowCount);
  // As `cur run` wires them: the spill folder and the pipeline's scratch folder inside the SYSTEM scratch area.
  const systemScratch = runtime.localScratchDir ?? join(home, 'state', 'system-scratch');
  const spill = join(systemScratch, 'duckdb-spill');
  const scratchDir = join(systemScratch, 'pipeline');
  await sweepScratchFolder(spill);
  await sweepScratchFolder(scratchDir);
  return { runtime, ledger, landing, lake: runtime.localLakeDir ?? join(home, 'state', 'lake'), spill, scratchDir, systemScratch, batches };
}
