import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
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
import { csvParts } from './csv-parts';
import { buildTokenMap, DISTINCT_CHUNK, positionalPieceFrom, positionalTokenSelect, positionalWholeFrom, TOKEN_JOIN_PART_ROWS, tokenColumnsInParts, tokenTables } from './token-map';
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
  /**
   * A batch staged in a database file is joined to its tokens and written to raw this many rows at a time, one raw
   * file each, in row order (so the transform takes it in parts too). `runPipeline` sets it from the engine's limit
   * ({@link rowsPerRawFileFor}). @default {@link TOKEN_JOIN_PART_ROWS}
   */
  readonly rowsPerRawFile?: number;
}

/** Below this engine memory limit the mask step stages every batch in a compressed database file. */
export const MIN_IN_MEMORY_STAGING_BYTES = 2 * 2 ** 30;

/**
 * The largest batch or part (CSV bytes) the mask step stages in memory under an engine memory limit: 30% of it. Two
 * masks run at once, so two such parts leave 40% of the limit for their token maps, joins and a transform. 0 under
 * {@link MIN_IN_MEMORY_STAGING_BYTES}: at 410MiB to 768MiB a 1M-customer digital_activity batch staged in memory ran
 * out of memory in its token join, where staged in a file it spills and passes (down to 128MiB, tested).
 */
export function stageInMemoryLimit(engineMemoryBytes: number): number {
  return engineMemoryBytes >= MIN_IN_MEMORY_STAGING_BYTES ? Math.floor(engineMemoryBytes * 0.3) : 0;
}

/**
 * Engine memory per row of a piece of a file-staged batch ({@link rowsPerRawFileFor}): one token join's hash table
 * (every distinct value of a column) and the sort of the piece's narrow rows share the limit. Measured at 160MiB on
 * the 1M-customer account_balance batch (1M customers' tokens): a 2.5M-row piece ran out, 1M-row pieces passed.
 */
const ENGINE_BYTES_PER_PIECE_ROW = 160;

/** The rows per piece (and raw file) of a batch staged in a file under an engine limit: 4M, fewer below about 610MiB. */
export function rowsPerRawFileFor(engineMemoryBytes: number): number {
  return Math.max(1, Math.min(TOKEN_JOIN_PART_ROWS, Math.floor(engineMemoryBytes / ENGINE_BYTES_PER_PIECE_ROW)));
}

/** How the mask step stages under an engine memory limit (none given: in a file, 4M-row pieces). */
export function maskStagingFor(engineMemoryBytes: number | undefined): Pick<MaskStepDependencies, 'stageInMemoryUpToBytes' | 'rowsPerRawFile'> {
  if (engineMemoryBytes === undefined) return { stageInMemoryUpToBytes: 0 };
  return { stageInMemoryUpToBytes: stageInMemoryLimit(engineMemoryBytes), rowsPerRawFile: rowsPerRawFileFor(engineMemoryBytes) };
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
  // The fast path stages into a database of its own: in memory for a batch under `stageInMemoryUpToBytes` (or each
  // part of a larger one), else a file in the run's scratch folder (SYSTEM's, swept at each run's start, deleted
  // below): DuckDB compresses a file's tables, an in-memory table spills uncompressed (issue 18).
  const stageDb = `mask_${scope}`;
  const folders: string[] = [];
  let attached = false;
  let written: WrittenFile[] | undefined;
  // The manifest's content hash is of the files' bytes in row order, as the lake's verifier reads them.
  let content = createHash('sha256');
  let loaded = control.rowCount;
  try {
    if (deps.landingPath) {
      const path = deps.landingPath(batch.dataKey);
      const csvBytes = await landingCsvBytes(path, control.file.endsWith('.gz'));
      const partBytes = deps.stageInMemoryUpToBytes ?? 0;
      const inParts = partBytes > 0 && csvBytes > partBytes;
      const inMemory = csvBytes <= partBytes || inParts;
      const stageDir = inMemory ? undefined : await makeStepScratch(deps.scratchDir, 'mask-stage-');
      if (stageDir) folders.push(stageDir);
      await deps.engine.execute(stageDir ? `ATTACH '${join(stageDir, 'stage.duckdb').replaceAll("'", "''")}' AS ${stageDb}` : `ATTACH ':memory:' AS ${stageDb}`);
      attached = true;
      const source = `${stageDb}.${staged}`;
      // Rows staged in memory are at most a part's worth, so their tokens are joined in one go: each join builds a hash
      // table of every token map, and the batch's maps grow with it (10M customers: 10M values each), so joining in
      // smaller pieces would rebuild them again and again. Rows staged in a file are joined in bounded pieces.
      const joinPartRows = inMemory ? Number.MAX_SAFE_INTEGER : (deps.rowsPerRawFile ?? TOKEN_JOIN_PART_ROWS);
      const context: StagedMaskContext = { deps, batch, columns, maskers, keyVersions, tokensTableOf, target: `${stageDb}.tokens_${scope}`, content, joinPartRows, inMemory };
      if (inParts) {
        const partsDir = await makeStepScratch(deps.scratchDir, 'mask-parts-');
        folders.push(partsDir);
        written = await maskInParts(context, source, createReadStream(path, { highWaterMark: 4 * 2 ** 20 }), control, partsDir, partBytes);
      } else if (await stageBatch(deps, path, source, batch, control, columns)) {
        written = await maskStagedRows(context, source, 0, control.rowCount, false);
      }
    }
    if (written === undefined) {
      content = createHash('sha256');
      loaded = await deps.engine.loadRows(staged, [ROW_NUMBER_COLUMN, ...columns], maskedChunks());
      const select = `SELECT CAST(${ROW_NUMBER_COLUMN} AS BIGINT) AS ${ROW_NUMBER_COLUMN}, ${columns.join(', ')}, '${batch.businessDate}' AS business_date FROM ${staged}`;
      written = [await writeZoneFile(deps.engine, deps.raw, select, partitionPrefix(dataset.name, batch.businessDate), deps.scratchDir, content)];
    }
  } finally {
    // The staged rows and the distinct values hold plaintext: gone whether the step succeeded or not.
    for (const table of [staged, ...columns.map(tokensTableOf)]) await deps.engine.execute(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    if (attached) await deps.engine.execute(`DETACH DATABASE IF EXISTS ${stageDb}`).catch(() => undefined);
    for (const folder of folders) await rm(folder, { recursive: true, force: true });
  }
  const files = { keys: written.map((file) => file.key), rowCount: written.reduce((rows, file) => rows + file.rowCount, 0), sha256: content.digest('hex') };
  return publishMaskedBatch(deps, { batch, control, written: files, rowsOut: loaded, keyVersions, startedAt });
}

/** What masking staged rows needs besides the rows: the batch, its maskers, and where tokens and key versions go. */
interface StagedMaskContext {
  readonly deps: MaskStepDependencies;
  readonly batch: BatchAccepted;
  readonly columns: readonly string[];
  readonly maskers: readonly ColumnMasker[];
  readonly keyVersions: Record<string, number>;
  readonly tokensTableOf: (column: string) => string;
  /** The narrow table of row numbers and tokens, replaced for each part. */
  readonly target: string;
  /** Fed each written file's bytes, in order. */
  readonly content: Hash;
  /** Staged rows joined to their tokens, and written to one raw file, at a time ({@link tokenColumnsInParts}' `partRows`). */
  readonly joinPartRows: number;
  /** The rows are staged in memory (else in a database file, where memory is short). */
  readonly inMemory: boolean;
}

/**
 * Masks rows staged in the engine and writes them as raw Parquet: one file, or for rows staged in a database file one
 * file per `rowsPerRawFile` rows, in row order. The engine holds the plaintext rows; only the distinct
 * values of sensitive columns come out to be masked, a bounded chunk at a time, into one value -> token table per
 * column (with `extend`, the batch's earlier parts' tables, so only new values are masked); the tokens are joined to
 * the rows a part at a time into a narrow table, put back beside the other columns as the files are written.
 *
 * @param firstRow - the batch's rows before these: the first staged row is row `firstRow + 1` of the landing file
 */
async function maskStagedRows(context: StagedMaskContext, source: string, firstRow: number, rows: number, extend: boolean): Promise<WrittenFile[]> {
  const { deps, batch, columns, maskers, keyVersions, tokensTableOf } = context;
  const tokenMaps = new Map<string, string>();
  for (const [index, column] of columns.entries()) {
    const masker = maskers[index];
    if (!masker || masker.method === 'plaintext') continue;
    const convert = async (values: string[]): Promise<readonly (string | null)[]> => {
      const masked = await masker.mask(values, { distinct: true });
      if (masked.keyVersion !== undefined) keyVersions[column] = masked.keyVersion;
      return masked.tokens;
    };
    await buildTokenMap(deps.engine, source, column, tokensTableOf(column), convert, DISTINCT_CHUNK, extend);
    tokenMaps.set(column, tokensTableOf(column));
  }
  // rowid is the position in the staged rows: the staged table is created in file order and never loses a row.
  // Rows staged in a file are there because memory is short: their columns are joined one at a time (columnAtATime).
  const join = { source, target: context.target, rowNumber: ROW_NUMBER_COLUMN, tokenMaps, rows, firstRow, partRows: context.joinPartRows, columnAtATime: !context.inMemory };
  const counts = await tokenColumnsInParts(deps.engine, join);
  // A value the join missed would be null instead of a token: refuse to write rather than trust it.
  for (const [column, { present, replaced }] of counts) {
    if (present !== replaced) throw new CurError('MASKING_INCOMPLETE', `${batch.batchId}: ${column} has ${present} values but ${replaced} were masked; nothing was written`);
  }
  const prefix = partitionPrefix(batch.dataset, batch.businessDate);
  const pieceRows = context.joinPartRows;
  try {
    if (rows <= pieceRows) {
      const select = `SELECT ${positionalTokenSelect(join, columns)}, '${batch.businessDate}' AS business_date FROM ${positionalWholeFrom(join)}`;
      return [await writeZoneFile(deps.engine, deps.raw, select, prefix, deps.scratchDir, context.content)];
    }
    // Rows staged in a file are written a piece at a time, one raw file each, in row order: the transform then takes
    // the batch in parts too (transformInParts) instead of sorting and spilling it whole.
    const files: WrittenFile[] = [];
    for (let from = 0; from < rows; from += pieceRows) {
      const piece = positionalPieceFrom(join, columns, from, Math.min(from + pieceRows, rows));
      files.push(await writeZoneFile(deps.engine, deps.raw, `SELECT ${piece.select}, '${batch.businessDate}' AS business_date FROM ${piece.from}`, prefix, deps.scratchDir, context.content));
    }
    return files;
  } finally {
    for (const { table } of tokenTables(join)) await deps.engine.execute(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
  }
}

/**
 * Masks a batch larger than the in-memory staging limit one part at a time: the landing file (gunzipped, Big5
 * transcoded) is cut into CSV parts of at most `partBytes` between records ({@link csvParts}), each part is staged in
 * memory, its file deleted at once, masked with the batch's shared token tables and written as its own raw file, row
 * numbers continuing from the part before. So staging costs what it does for a small batch at any size, and
 * plaintext on disk is one part at most. Undefined when the engine reads other rows than the control file declares
 * (the caller falls back to the JavaScript reader; files already written stay unreferenced).
 */
async function maskInParts(context: StagedMaskContext, source: string, landing: Readable, control: ControlFile, partsDir: string, partBytes: number): Promise<WrittenFile[] | undefined> {
  const { deps, columns } = context;
  const gunzip = control.encoding === 'utf-8' && control.file.endsWith('.gz') ? createGunzip({ chunkSize: 2 ** 20 }) : undefined;
  if (gunzip) landing.on('error', (error) => gunzip.destroy(error));
  const bytes: AsyncIterable<Buffer> =
    control.encoding !== 'utf-8'
      ? (async function* () {
          for await (const text of readLandingText(control, landing)) yield Buffer.from(text, 'utf8');
        })()
      : gunzip ? landing.pipe(gunzip) : landing;
  const written: WrittenFile[] = [];
  let firstRow = 0;
  try {
    for await (const part of csvParts(bytes, partsDir, partBytes)) {
      const rows = await stageInEngine(deps, source, part.path, columns);
      // In memory now: the part's plaintext file is not kept while it is masked.
      await rm(part.path, { force: true });
      if (rows === undefined) return undefined;
      written.push(...(await maskStagedRows(context, source, firstRow, rows, part.index > 0)));
      firstRow += rows;
      await deps.engine.execute(`DROP TABLE IF EXISTS ${source}`);
    }
  } finally {
    landing.destroy();
    gunzip?.destroy();
  }
  return firstRow === control.rowCount ? written : undefined;
}


/** What a mask step wrote for one batch, whichever engine wrote it. */
export interface MaskedBatch {
  readonly batch: BatchAccepted;
  readonly control: ControlFile;
  /** The raw files, in row order, with their rows and the hash of their bytes in that order. */
  readonly written: { readonly keys: readonly string[]; readonly rowCount: number; readonly sha256: string };
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
    files: [...written.keys],
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


/**
 * Stages a whole batch in the engine from its landing file, through a transcoded copy when it is not UTF-8; false
 * (nothing left behind) when the engine cannot read it or counts other rows than the control file.
 */
async function stageBatch(deps: MaskStepDependencies, path: string, table: string, batch: BatchAccepted, control: ControlFile, columns: readonly string[]): Promise<boolean> {
  const staged = async (utf8: string): Promise<boolean> => {
    if ((await stageInEngine(deps, table, utf8, columns)) === control.rowCount) return true;
    await deps.engine.execute(`DROP TABLE IF EXISTS ${table}`);
    return false;
  };
  if (control.encoding === 'utf-8') return staged(path);
  // In the run's scratch folder, never the OS temp folder: a killed step's copy is swept by the next run. The folder is
  // 0700 and the file 0600: the plaintext copy is as private as landing, and short-lived.
  const dir = await makeStepScratch(deps.scratchDir, 'mask-');
  try {
    const utf8 = join(dir, 'batch.csv');
    await pipeline(readLandingText(control, await deps.landing.getStream(batch.dataKey)), createWriteStream(utf8, { mode: 0o600 }));
    return await staged(utf8);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Lets the engine parse a UTF-8 CSV file into a table of VARCHAR columns, in file order, and returns its rows.
 * Undefined (and nothing left behind) when the engine cannot read it as declared, so the caller falls back to the
 * JavaScript reader, which verification already used. A caller that expects another count drops the table itself.
 */
async function stageInEngine(deps: MaskStepDependencies, table: string, path: string, columns: readonly string[]): Promise<number | undefined> {
  const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;
  const spec = columns.map((column) => `${literal(column)}: 'VARCHAR'`).join(', ');
  try {
    await deps.engine.execute(
      `CREATE OR REPLACE TABLE ${table} AS SELECT * FROM read_csv(${literal(path)}, header = true, delim = ',', quote = '"', escape = '"', auto_detect = false, columns = {${spec}})`,
    );
    const [row] = await deps.engine.query(`SELECT count(*) AS n FROM ${table}`);
    return Number(row?.['n']);
  } catch {
    // Not readable by the engine as declared: the JavaScript reader takes over.
    await deps.engine.execute(`DROP TABLE IF EXISTS ${table}`);
    return undefined;
  }
}

/** Empty cells are nulls; anything else is kept as sent (cleanup is the transform step's job, on masked values). */
function normaliseCell(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}
