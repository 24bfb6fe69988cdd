import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { DuckDbSqlEngine } from '@cur/adapters-local';
import { DATASETS, getDataset } from '@cur/contracts';
import { BatchLedger, CsvRecordReader, createIngestionHandler, objectCreatedEvent, pushBatches } from '@cur/ingestion';
import { KeyRing } from '@cur/masking';
import { createLogger, loadPlatformConfig, type SqlEngine } from '@cur/platform';
import { createMaskingPolicy } from '@cur/policy';
import { createRuntime, type Runtime } from '@cur/runtime';
import { generateLandingBatches, writeToDirectory } from '@cur/synthetic';
import { DUCKDB_DIALECT, TAG_DEFINITIONS, type PipelineDependencies } from '../../src/index';

/** A local platform with generated extracts pushed and ingested, ready for the pipeline. */
export async function ingestedPlatform(options: { customers: number; days: number; seed: number; cardActivity?: number; dirtyRate?: number }) {
  const home = await mkdtemp(join(tmpdir(), 'cur-pipeline-'));
  const extracts = await mkdtemp(join(tmpdir(), 'cur-extracts-'));
  await generateLandingBatches(options, writeToDirectory(extracts));
  const runtime = await createRuntime(loadPlatformConfig({ CUR_HOME: home }));
  const ledger = new BatchLedger(runtime.keyValueStore);
  const landing = runtime.blobStore('landing');
  const events = runtime.events();
  const handle = createIngestionHandler(() =>
    Promise.resolve({ landing, quarantine: runtime.blobStore('quarantine'), ledger, onAccepted: (batch) => events.publish('Batch Accepted', batch), logger: createLogger({ serviceName: 'test', logLevel: 'SILENT' }) }),
  );
  for (const pushed of await pushBatches(extracts, landing, { ledger })) {
    if (pushed.status === 'pushed') await handle(objectCreatedEvent('landing', pushed.controlKey, 1));
  }
  return { home, extracts, runtime, ledger };
}

/** The pipeline's dependencies on a local runtime, with DuckDB, scratch files in the state folder's SYSTEM area. */
export async function pipelineDependencies(runtime: Runtime): Promise<PipelineDependencies> {
  const lake = runtime.localLakeDir ?? '';
  return {
    buckets: { landing: runtime.blobStore('landing'), raw: runtime.blobStore('raw'), transformed: runtime.blobStore('transformed'), consumption: runtime.blobStore('consumption'), mart: runtime.blobStore('mart'), system: runtime.blobStore('system') },
    locate: (bucket, key) => join(lake, bucket, ...key.split('/')),
    ledger: new BatchLedger(runtime.keyValueStore),
    engine: await DuckDbSqlEngine.open({ threads: 1 }),
    dialect: DUCKDB_DIALECT,
    policy: createMaskingPolicy(),
    maskers: { keyRing: new KeyRing(runtime.keyValueStore, runtime.keyVault()) },
    tags: TAG_DEFINITIONS,
    notifier: runtime.notifier(),
    events: runtime.events(),
    ...(runtime.localScratchDir === undefined ? {} : { scratchDir: runtime.localScratchDir }),
  };
}

/**
 * Every plaintext value of a direct, quasi or secret column in the generated extracts (the canaries: none may appear
 * downstream of landing), and every public value.
 */
export async function plaintextCanaries(extracts: string): Promise<{ sensitive: Set<string>; public: Set<string> }> {
  const sensitive = new Set<string>();
  const publicValues = new Set<string>();
  for (const name of (await readdir(extracts)).filter((file) => file.endsWith('.ctl'))) {
    const control = JSON.parse(await readFile(join(extracts, name), 'utf8')) as { dataset: string; file: string; encoding: string };
    let bytes = await readFile(join(extracts, control.file));
    if (control.file.endsWith('.gz')) {
      const chunks: Buffer[] = [];
      for await (const chunk of Readable.from([bytes]).pipe(createGunzip())) chunks.push(chunk as Buffer);
      bytes = Buffer.concat(chunks);
    }
    const text = control.encoding === 'big5' ? iconv.decode(bytes, 'cp950') : bytes.toString('utf8');
    const reader = new CsvRecordReader();
    const [, ...rows] = [...reader.push(text), ...reader.end()];
    const columns = getDataset(control.dataset).columns;
    for (const row of rows) {
      columns.forEach((column, i) => {
        const value = (row[i] ?? '').trim();
        if (value.length < 4) return;
        (column.classification === 'public' ? publicValues : sensitive).add(value);
      });
    }
  }
  return { sensitive, public: publicValues };
}

/** Names of the source datasets. */
export const SOURCE_DATASETS = Object.keys(DATASETS);

/** A SqlEngine that forwards every call to `engine`, except the ones `overrides` replaces: for tests that watch or break one operation. */
export function engineWith(engine: SqlEngine, overrides: Partial<SqlEngine>): SqlEngine {
  return {
    registerParquetView: (...args) => engine.registerParquetView(...args),
    loadRows: (...args) => engine.loadRows(...args),
    readColumn: (...args) => engine.readColumn(...args),
    loadColumn: (...args) => engine.loadColumn(...args),
    execute: (sql) => engine.execute(sql),
    update: (sql) => engine.update(sql),
    query: (sql) => engine.query(sql),
    writeParquet: (sql, file) => engine.writeParquet(sql, file),
    fork: () => engine.fork(),
    close: () => engine.close(),
    ...overrides,
  };
}
