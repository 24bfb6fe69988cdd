import { ControlFileSchema, DATASETS, DATASET_NAMES, controlFileName, dataFileName, type SourceDatasetName } from '@cur/contracts';
import { PROGRESS_EVERY_ROWS, TEXT_CHUNK_CHARS } from './constants';
import { formatCsvRow } from './csv/csv-row';
import { accountBalanceRows } from './datasets/account-balance-rows';
import { cardTransactionRows } from './datasets/card-transaction-rows';
import { customerProfileRows } from './datasets/customer-profile-rows';
import { digitalActivityRows } from './datasets/digital-activity-rows';
import type { RowSource } from './datasets/row-source';
import { DirtyRowInjector } from './dirty-rows/dirty-row-injector';
import { ByteMeter, encodeChunks, gzipChunks } from './encode/byte-chunks';
import { SyntheticError, SyntheticSinkError } from './errors';
import { parseGenerateOptions, type GenerateOptions, type GenerateOptionsInput } from './generate-options';
import type { LandingSink } from './ports/landing-sink';
import { businessDay, type BusinessDay } from './population/business-day';
import { Population, STREAMS } from './population/population';
import { daysFromIso } from './taiwan/calendar';
import type { GenerateProgressListener, GenerateSummary, GeneratedBatch } from './types/generate-summary';

const ROW_SOURCES: Readonly<Record<SourceDatasetName, RowSource>> = {
  customer_profile: customerProfileRows,
  account_balance: accountBalanceRows,
  card_transaction: cardTransactionRows,
  digital_activity: digitalActivityRows,
};

/**
 * Writes synthetic landing batches of Taiwanese bank data that obey the landing contract (PRODUCT.md §5): for each
 * business day and each dataset, `<dataset>_<YYYYMMDD>.csv` (or `.csv.gz`) with a header in contract column order,
 * RFC 4180 quoting and CRLF line ends, in UTF-8 or Big5 (CP950), then its `<dataset>_<YYYYMMDD>.ctl` control file
 * (which passes `ControlFileSchema`: row count, SHA-256 of the bytes as written, encoding, schema version).
 *
 * The data is realistic (checksum-valid national IDs with a consistent gender, Chinese names and addresses, ROC
 * dates, `09` mobiles, 14-digit accounts, 16-digit Luhn-valid cards, MCCs with Chinese merchant names, IPv4
 * addresses) and deterministic: the same options give byte-identical files on the same Node version. A share
 * `dirtyRate` of the rows of every file is deliberately dirty ({@link DIRTY_ROW_KINDS}).
 *
 * Files are streamed in 64 KiB chunks through encoding, gzip and hashing into the sink; nothing holds a whole file.
 *
 * @param options - see {@link GenerateOptionsSchema}; `{}` gives 10,000 customers for one day
 * @param sink - where the files go, e.g. {@link writeToDirectory}
 * @param onProgress - optional progress listener
 * @returns what was written, batch by batch
 * @throws SyntheticOptionsError when the options are invalid
 * @throws SyntheticSinkError when the sink fails or stops reading early (the original error as `cause`)
 * @example
 * const summary = await generateLandingBatches({ customers: 1_000, days: 2, seed: 7 }, writeToDirectory('/tmp/landing'));
 * for (const batch of summary.batches) console.log(batch.dataFile, batch.rowCount, batch.dirtyRows);
 */
export async function generateLandingBatches(
  options: GenerateOptionsInput,
  sink: LandingSink,
  onProgress?: GenerateProgressListener,
): Promise<GenerateSummary> {
  const resolved = parseGenerateOptions(options);
  const population = new Population(resolved.seed, resolved.customers, daysFromIso(resolved.startDate), resolved.cardActivity);
  const plan: { day: BusinessDay; dataset: SourceDatasetName }[] = [];
  for (let index = 0; index < resolved.days; index += 1) {
    const day = businessDay(population.startDays, index);
    for (const dataset of resolved.datasets) plan.push({ day, dataset });
  }

  const batches: GeneratedBatch[] = [];
  for (const [i, { day, dataset }] of plan.entries()) {
    onProgress?.({ type: 'batch-started', dataset, businessDate: day.iso, batchNumber: i + 1, batchCount: plan.length });
    const batch = await writeBatch(resolved, population, day, dataset, sink, onProgress);
    batches.push(batch);
    onProgress?.({ type: 'batch-finished', batch, batchNumber: i + 1, batchCount: plan.length });
  }
  return {
    options: resolved,
    batches,
    totalRows: batches.reduce((sum, batch) => sum + batch.rowCount, 0),
    totalBytes: batches.reduce((sum, batch) => sum + batch.bytes, 0),
    totalDirtyRows: batches.reduce((sum, batch) => sum + batch.dirtyRows, 0),
  };
}

async function writeBatch(
  options: GenerateOptions,
  population: Population,
  day: BusinessDay,
  datasetName: SourceDatasetName,
  sink: LandingSink,
  onProgress: GenerateProgressListener | undefined,
): Promise<GeneratedBatch> {
  const dataset = DATASETS[datasetName];
  const encoding = options.big5Datasets.includes(datasetName) ? 'big5' : 'utf-8';
  const gzip = options.gzipDatasets.includes(datasetName);
  const dataFile = dataFileName(datasetName, day.iso, gzip);
  const controlFile = controlFileName(datasetName, day.iso);

  const injector = new DirtyRowInjector(dataset, {
    rate: options.dirtyRate,
    rng: population.rng(STREAMS.dirty, DATASET_NAMES.indexOf(datasetName), day.index),
    orphanId: (rng) => population.orphanId(rng),
    record: options.recordDirtyRows,
  });
  const rows = injector.apply(ROW_SOURCES[datasetName](population, day));
  const header = formatCsvRow(dataset.columns.map((column) => column.name));
  const reportRows = onProgress && ((count: number) => onProgress({ type: 'rows-written', dataset: datasetName, businessDate: day.iso, rows: count }));
  const encoded = encodeChunks(textChunks(header, rows, reportRows), encoding);

  const meter = new ByteMeter();
  await writeFile(sink, dataFile, meter, gzip ? gzipChunks(encoded) : encoded);
  const sha256 = meter.digest();

  const control = ControlFileSchema.parse({
    dataset: datasetName,
    businessDate: day.iso,
    file: dataFile,
    rowCount: injector.rowCount,
    sha256,
    encoding,
    schemaVersion: dataset.schemaVersion,
  });
  await writeFile(sink, controlFile, new ByteMeter(), [Buffer.from(`${JSON.stringify(control, null, 2)}\n`, 'utf8')]);

  return {
    dataset: datasetName,
    businessDate: day.iso,
    dataFile,
    controlFile,
    encoding,
    rowCount: injector.rowCount,
    dirtyRows: injector.dirtyRows,
    dirtyRowsByKind: injector.byKind,
    bytes: meter.bytes,
    sha256,
    ...(injector.log ? { dirtyRowLog: injector.log } : {}),
  };
}

/** CSV text in chunks of about {@link TEXT_CHUNK_CHARS} characters, header first. */
function* textChunks(header: string, rows: Iterable<string[]>, reportRows: ((rows: number) => void) | undefined): Generator<string> {
  let chunk = header;
  let rowCount = 0;
  let reported = 0;
  for (const row of rows) {
    chunk += formatCsvRow(row);
    rowCount += 1;
    if (chunk.length >= TEXT_CHUNK_CHARS) {
      yield chunk;
      chunk = '';
      if (reportRows && rowCount - reported >= PROGRESS_EVERY_ROWS) {
        reported = rowCount;
        reportRows(rowCount);
      }
    }
  }
  if (chunk.length > 0) yield chunk;
  if (reportRows && rowCount !== reported) reportRows(rowCount);
}

async function writeFile(
  sink: LandingSink,
  fileName: string,
  meter: ByteMeter,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): Promise<void> {
  try {
    await sink.write(fileName, meter.measure(chunks));
  } catch (error) {
    // A failure of the generator itself surfaces through the sink; pass it on unchanged.
    if (meter.isSourceError(error) || error instanceof SyntheticError) throw error;
    throw new SyntheticSinkError(`the sink failed to write ${fileName}`, { cause: error });
  }
  if (!meter.complete) throw new SyntheticSinkError(`the sink returned before reading all of ${fileName}`);
}
