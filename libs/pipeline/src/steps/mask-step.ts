import { createWriteStream } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { BatchAccepted, ControlFile } from '@cur/contracts';
import { getDataset } from '@cur/contracts';
import type { BatchLedger} from '@cur/ingestion';
import { parseControlFile, readLandingRecords, readLandingText } from '@cur/ingestion';
import type { ColumnMasker, MaskerDependencies } from '@cur/masking';
import { createColumnMasker } from '@cur/masking';
import type { BlobStore, SqlEngine } from '@cur/platform';
import { CurError } from '@cur/platform';
import type { MaskingPolicy } from '@cur/policy';
import { partitionPrefix, schemaSha256, writeZoneFile, type WrittenFile } from '../lake/lake-writer';
import { makeStepScratch } from '../scratch/scratch-folder';
import { buildTokenMap, positionalTokenSelect, tokenColumnsInParts } from './token-map';
import type { Manifest, ManifestStore } from '@cur/lake';
import { manifestKey } from '@cur/lake';

/** The column that keeps each row's position in its landing file, for rejects and lineage. */
export const ROW_NUMBER_COLUMN = 'source_row';

/** What the mask step works with. It runs as SYSTEM: it is the only step that reads plaintext. */
export interface MaskStepDependencies {
  readonly landing: BlobStore;
  readonly raw: BlobStore;
  readonly manifests: ManifestStore;
  readonly ledger: BatchLedger;
  readonly engine: SqlEngine;
  readonly policy: MaskingPolicy;
  readonly maskers: MaskerDependencies;
  readonly runId: string;
  /**
   * The run's scratch folder: a Big5 batch's UTF-8 copy (plaintext) and the Parquet file before upload are written
   * there, never to the OS temp folder. Locally it is in the state folder's SYSTEM area and swept at each run's start.
   */
  readonly scratchDir: string;
  /**
   * Where the engine can read a landing object directly (the local folder). With it, batches take the fast path: the
   * engine parses the file and carries the rows, and JavaScript masks only the distinct values of the sensitive
   * columns (a Big5 batch is first transcoded to a private UTF-8 file in `scratchDir`, deleted once staged). Without it, or
   * if the engine's count disagrees with the control file, every row goes through JavaScript.
   */
  readonly landingPath?: (key: string) => string;
  /**
   * On the fast path, a batch whose CSV is at most this many bytes (a gzip file by its trailer's size) is staged in
   * an in-memory database; a larger one, or any with the default 0, in a database file of its own in `scratchDir`.
   * In memory is faster (about 4x on staging a 1M-row customer_profile, no compression), but an in-memory table spills
   * uncompressed: a 100M-row batch spilled tens of GB (issue 18), which the file's compression avoids.
   * `runPipeline` sets it from the engine's limit ({@link stageInMemoryLimit}).
   */
  readonly stageInMemoryUpToBytes?: number;
}

/**
 * The largest batch (CSV bytes) the mask step stages in memory under an engine memory limit: 30% of it. Two masks run
 * at once, so two such batches leave 40% of the limit for their token maps, joins and a transform.
 */
export function stageInMemoryLimit(engineMemoryBytes: number): number {
  return Math.floor(engineMemoryBytes * 0.3);
}

/**
 * The bytes of CSV a landing file holds: its size, or a gzip file's uncompressed size from its trailer (ISIZE, the
 * size modulo 2^32: exact for a file of at most 256 MiB, which no CSV compresses into from 4 GiB or more; larger gzip
 * files count as unbounded). Infinity when the file cannot be read.
 */
export async function landingCsvBytes(path: string, gzip: boolean): Promise<number> {
  const size = await stat(path).then((info) => info.size, () => Number.POSITIVE_INFINITY);
  if (!gzip || !Number.isFinite(size)) return size;
  if (size > 256 * 2 ** 20 || size < 18) return Number.POSITIVE_INFINITY;
  const file = await open(path, 'r');
  try {
    const trailer = Buffer.alloc(4);
    await file.read(trailer, 0, 4, size - 4);
    return trailer.readUInt32LE(0);
  } finally {
    await file.close();
  }
}

/**
 * landing -> raw. Decodes the batch (UTF-8 or Big5, gzip), masks every column with its storage treatment (tokens
 * for direct identifiers, generalisations for quasi-identifiers, sealed secrets), writes one Parquet file to raw
 * partitioned by business date, publishes its manifest, and only then deletes the landing files. Nothing downstream
 * of this step holds plaintext of a direct or quasi column.
 */
export async function runMaskStep(deps: MaskStepDependencies, batch: BatchAccepted): Promise<Manifest> {
  const startedAt = new Date();
  const control: ControlFile = parseControlFile(batch.controlKey.slice(batch.controlKey.lastIndexOf('/') + 1), await deps.landing.get(batch.controlKey)).control;
  const dataset = getDataset(batch.dataset);
  const columns = dataset.columns.map((column) => column.name);
  const maskers: ColumnMasker[] = dataset.columns.map((column) =>
    createColumnMasker(deps.policy.storageTreatmentFor(dataset.name, column.name), deps.policy.keyGroupFor(dataset.name, column.name), deps.maskers),
  );
  const keyVersions: Record<string, number> = {};
  let rowNumber = 0;

  async function* maskedChunks(): AsyncGenerator<(string | null)[][]> {
    for await (const records of readLandingRecords(control, await deps.landing.getStream(batch.dataKey))) {
      // Column by column, so each cipher sees a whole column of distinct values at once.
      const maskedColumns = await Promise.all(
        maskers.map(async (masker, index) => {
          const values = records.map((record) => normaliseCell(record[index]));
          const masked = await masker.mask(values);
          const name = columns[index] ?? '';
          if (masked.keyVersion !== undefined) keyVersions[name] = masked.keyVersion;
          return masked.tokens;
        }),
      );
      const first = rowNumber;
      rowNumber += records.length;
      yield records.map((_record, i) => [String(first + i + 1), ...maskedColumns.map((tokens) => tokens[i] ?? null)]);
    }
  }

  // Names unique to the batch: mask steps of other batches may run beside this one on the same database.
  const scope = `${dataset.name}_${batch.businessDate.replaceAll('-', '')}`;
  const staged = `staged_${scope}`;
  const tokensTableOf = (column: string): string => `tokens_${scope}_${column}`;
  // The fast path stages into a database of its own: in memory for a batch under `stageInMemoryUpToBytes`, else a
  // file in the run's scratch folder (SYSTEM's, swept at each run's start, deleted below): DuckDB compresses a file's
  // tables, an in-memory table spills uncompressed (issue 18).
  const stageDb = `mask_${scope}`;
  let stageDir: string | undefined;
  let attached = false;
  let written: WrittenFile;
  let loaded: number;
  try {
    let fast = false;
    if (deps.landingPath) {
      const inMemory = (await landingCsvBytes(deps.landingPath(batch.dataKey), control.file.endsWith('.gz'))) <= (deps.stageInMemoryUpToBytes ?? 0);
      if (!inMemory) stageDir = await makeStepScratch(deps.scratchDir, 'mask-stage-');
      await deps.engine.execute(stageDir ? `ATTACH '${join(stageDir, 'stage.duckdb').replaceAll("'", "''")}' AS ${stageDb}` : `ATTACH ':memory:' AS ${stageDb}`);
      attached = true;
      fast = await stageBatch(deps, deps.landingPath, `${stageDb}.${staged}`, batch, control, columns);
    }
    let select: string;
    if (fast) {
      // The engine holds the plaintext rows; only the distinct values of sensitive columns come out to be masked, a
      // bounded chunk at a time, into one value -> token table per column; the tokens are joined to the rows a part at a
      // time into a narrow table, put back beside the other columns as the file is written.
      const source = `${stageDb}.${staged}`;
      const tokenMaps = new Map<string, string>();
      for (const [index, column] of columns.entries()) {
        const masker = maskers[index];
        if (!masker || masker.method === 'plaintext') continue;
        await buildTokenMap(deps.engine, source, column, tokensTableOf(column), async (values) => {
          const masked = await masker.mask(values, { distinct: true });
          if (masked.keyVersion !== undefined) keyVersions[column] = masked.keyVersion;
          return masked.tokens;
        });
        tokenMaps.set(column, tokensTableOf(column));
      }
      // rowid is the position in the file: the staged table is created in file order and never loses a row.
      const join = { source, target: `${stageDb}.tokens_${scope}`, rowNumber: ROW_NUMBER_COLUMN, tokenMaps, rows: control.rowCount };
      const counts = await tokenColumnsInParts(deps.engine, join);
      // A value the join missed would be null instead of a token: refuse to write rather than trust it.
      for (const [column, { present, replaced }] of counts) {
        if (present !== replaced) throw new CurError('MASKING_INCOMPLETE', `${batch.batchId}: ${column} has ${present} values but ${replaced} were masked; nothing was written`);
      }
      select = `SELECT ${positionalTokenSelect(join, columns)}, '${batch.businessDate}' AS business_date FROM ${source} s POSITIONAL JOIN ${join.target} t`;
      loaded = control.rowCount;
    } else {
      loaded = await deps.engine.loadRows(staged, [ROW_NUMBER_COLUMN, ...columns], maskedChunks());
      select = `SELECT CAST(${ROW_NUMBER_COLUMN} AS BIGINT) AS ${ROW_NUMBER_COLUMN}, ${columns.join(', ')}, '${batch.businessDate}' AS business_date FROM ${staged}`;
    }
    written = await writeZoneFile(deps.engine, deps.raw, select, partitionPrefix(dataset.name, batch.businessDate), deps.scratchDir);
  } finally {
    // The staged rows and the distinct values hold plaintext: gone whether the step succeeded or not.
    for (const table of [staged, ...columns.map(tokensTableOf)]) await deps.engine.execute(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    if (attached) await deps.engine.execute(`DETACH DATABASE IF EXISTS ${stageDb}`).catch(() => undefined);
    if (stageDir) await rm(stageDir, { recursive: true, force: true });
  }
  return publishMaskedBatch(deps, { batch, control, written, rowsOut: loaded, keyVersions, startedAt });
}

/** What a mask step wrote for one batch, whichever engine wrote it. */
export interface MaskedBatch {
  readonly batch: BatchAccepted;
  readonly control: ControlFile;
  readonly written: WrittenFile;
  readonly rowsOut: number;
  readonly keyVersions: Readonly<Record<string, number>>;
  readonly startedAt: Date;
}

/**
 * Publishes a masked batch's raw manifest, then (only then) deletes its plaintext from landing and marks it MASKED
 * in the ledger: the one ending of the mask step on DuckDB and on Spark.
 */
export async function publishMaskedBatch(
  deps: Pick<MaskStepDependencies, 'landing' | 'manifests' | 'ledger' | 'runId'>,
  masked: MaskedBatch,
): Promise<Manifest> {
  const { batch, control, written, startedAt } = masked;
  const dataset = getDataset(batch.dataset);
  const manifest: Manifest = {
    dataset: dataset.name,
    zone: 'raw',
    businessDate: batch.businessDate,
    step: 'mask',
    runId: deps.runId,
    files: [written.key],
    rowCount: written.rowCount,
    contentSha256: written.sha256,
    schemaSha256: schemaSha256(dataset.columns),
    inputs: [batch.controlKey, batch.dataKey],
    counts: { rowsIn: control.rowCount, rowsOut: masked.rowsOut },
    keyVersions: { ...masked.keyVersions },
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
  };
  await deps.manifests.publish(manifest);
  // Plaintext leaves the platform only now that the masked copy is published.
  await deps.landing.delete(batch.dataKey);
  await deps.landing.delete(batch.controlKey);
  await deps.ledger.setStatus(batch.batchId, 'ACCEPTED', 'MASKED').catch(() => undefined);
  return manifest;
}

/** The key of the raw manifest a batch produces. */
export const rawManifestKey = (batch: Pick<BatchAccepted, 'dataset' | 'businessDate'>): string => manifestKey('raw', batch.dataset, batch.businessDate);


/** Stages a batch in the engine from its landing file, through a transcoded copy when it is not UTF-8. */
async function stageBatch(deps: MaskStepDependencies, landingPath: (key: string) => string, table: string, batch: BatchAccepted, control: ControlFile, columns: readonly string[]): Promise<boolean> {
  if (control.encoding === 'utf-8') return stageInEngine(deps, table, landingPath(batch.dataKey), columns, control.rowCount);
  // In the run's scratch folder, never the OS temp folder: a killed step's copy is swept by the next run. The folder is
  // 0700 and the file 0600: the plaintext copy is as private as landing, and short-lived.
  const dir = await makeStepScratch(deps.scratchDir, 'mask-');
  try {
    const utf8 = join(dir, 'batch.csv');
    await pipeline(readLandingText(control, await deps.landing.getStream(batch.dataKey)), createWriteStream(utf8, { mode: 0o600 }));
    return await stageInEngine(deps, table, utf8, columns, control.rowCount);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Lets the engine parse a UTF-8 landing file into a table of VARCHAR columns, in file order. Returns false
 * (and leaves nothing behind) when the engine cannot read it or counts other rows than the control file, so the caller
 * falls back to the JavaScript reader, which verification already used.
 */
async function stageInEngine(deps: MaskStepDependencies, table: string, path: string, columns: readonly string[], expectedRows: number): Promise<boolean> {
  const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;
  const spec = columns.map((column) => `${literal(column)}: 'VARCHAR'`).join(', ');
  try {
    await deps.engine.execute(
      `CREATE OR REPLACE TABLE ${table} AS SELECT * FROM read_csv(${literal(path)}, header = true, delim = ',', quote = '"', escape = '"', auto_detect = false, columns = {${spec}})`,
    );
    const [row] = await deps.engine.query(`SELECT count(*) AS n FROM ${table}`);
    if (Number(row?.['n']) === expectedRows) return true;
  } catch {
    // Not readable by the engine as declared: the JavaScript reader takes over.
  }
  await deps.engine.execute(`DROP TABLE IF EXISTS ${table}`);
  return false;
}

/** Empty cells are nulls; anything else is kept as sent (cleanup is the transform step's job, on masked values). */
function normaliseCell(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}
