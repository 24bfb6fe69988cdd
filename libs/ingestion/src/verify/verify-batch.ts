import { createHash } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import iconv from 'iconv-lite';
import type { ControlFile, DatasetSpec } from '@cur/contracts';
import { ControlFileSchema, MAX_CONTROL_FILE_BYTES, getDataset, isSourceDatasetName, landingCsvLimitsFor, parseLandingFileName } from '@cur/contracts';
import { CsvFormatError } from '../csv/csv-format-error';
import { CsvRecordReader } from '../csv/csv-records';
import { describeControlFileIssues, describeCsvFormatError, describeHeaderMismatch } from './rejection-messages';
import { BatchRejectedError } from './rejection-reasons';
import { CurError } from '@cur/platform';

/**
 * Parses and checks a control file: JSON, the schema, a declared dataset and schema version, and a data file name
 * that matches the control file's own name.
 *
 * @param controlFileName - the control file's name, e.g. `customer_profile_20261125.ctl`
 * @throws BatchRejectedError CONTROL_UNREADABLE (too large, not UTF-8 JSON, not the schema), FILE_NAME_MISMATCH,
 * UNKNOWN_DATASET or UNKNOWN_SCHEMA_VERSION
 */
export function parseControlFile(controlFileName: string, bytes: Uint8Array): { control: ControlFile; dataset: DatasetSpec } {
  checkControlFileSize(controlFileName, bytes.length);
  // No cause is kept: JSON.parse quotes the text around the error, which may be a data file sent by mistake.
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new BatchRejectedError('CONTROL_UNREADABLE', `${controlFileName} is not UTF-8`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BatchRejectedError('CONTROL_UNREADABLE', `${controlFileName} is not JSON (${bytes.length} bytes)`);
  }
  const parsed = ControlFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new BatchRejectedError('CONTROL_UNREADABLE', `${controlFileName} does not follow the control file schema: ${describeControlFileIssues(parsed.error.issues)}`);
  }
  const control = parsed.data;
  const named = parseLandingFileName(controlFileName);
  if (!named || named.kind !== 'control' || named.dataset !== control.dataset || named.businessDate !== control.businessDate) {
    throw new BatchRejectedError('FILE_NAME_MISMATCH', `${controlFileName} declares ${control.dataset} for ${control.businessDate}; its name must be ${control.dataset}_${control.businessDate.replaceAll('-', '')}.ctl`);
  }
  if (!isSourceDatasetName(control.dataset)) {
    throw new BatchRejectedError('UNKNOWN_DATASET', `${controlFileName} declares dataset '${control.dataset}', which is not in the contracts`);
  }
  const dataset = getDataset(control.dataset);
  if (control.schemaVersion !== dataset.schemaVersion) {
    throw new BatchRejectedError('UNKNOWN_SCHEMA_VERSION', `${controlFileName} declares schema version ${control.schemaVersion}; ${dataset.name} is at version ${dataset.schemaVersion}`);
  }
  return { control, dataset };
}

/**
 * Refuses a control file larger than {@link MAX_CONTROL_FILE_BYTES}; callers check the stored size before reading it.
 *
 * @throws BatchRejectedError CONTROL_UNREADABLE
 */
export function checkControlFileSize(controlFileName: string, size: number): void {
  if (size > MAX_CONTROL_FILE_BYTES) {
    throw new BatchRejectedError('CONTROL_UNREADABLE', `${controlFileName} is ${size} bytes; a control file is at most ${MAX_CONTROL_FILE_BYTES} bytes`);
  }
}

/** What verifying a data file established. */
export interface VerifiedDataFile {
  readonly rowCount: number;
  readonly sha256: string;
  readonly bytes: number;
}

/**
 * Streams a data file once and checks every promise its control file makes: the SHA-256 of its bytes, valid gzip
 * (for `.csv.gz`), valid bytes in the declared encoding, RFC 4180 CSV within the contract's field and record length
 * limits and with as many fields as columns in every record, the header in contract order, and the row count. Nothing
 * of the content is kept or echoed: a rejection names positions, counts and columns. Memory stays bounded: after the
 * header, records are only counted, and a field past the limit is refused as soon as it passes it.
 *
 * @throws BatchRejectedError CHECKSUM_MISMATCH, UNDECODABLE_BYTES, MALFORMED_CSV, BAD_HEADER or COUNT_MISMATCH
 * @throws CurError LANDING_READ_FAILED when the source stream fails: not a rejection, so the batch stays in landing
 *   and the caller (the Lambda's retry, the sweep) tries again
 */
export async function verifyDataFile(control: ControlFile, dataset: DatasetSpec, data: Readable): Promise<VerifiedDataFile> {
  const hash = createHash('sha256');
  let bytes = 0;
  // The parse reads through a pipe; the hash sees every chunk of the source as stored (gzip included), before anything
  // interprets it, and keeps seeing them when the parse stops early.
  const plain = control.file.endsWith('.gz') ? createGunzip() : new PassThrough();
  data.pipe(plain);
  data.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    bytes += chunk.length;
  });
  // A source that fails (an S3 read cut short) says nothing about the batch: it must not be judged on half its bytes.
  let sourceError: unknown;
  data.on('error', (error) => {
    sourceError = error;
    plain.destroy(error);
  });

  const decode = textDecoder(control.encoding);
  const reader = new CsvRecordReader({ limits: landingCsvLimitsFor(dataset), fields: dataset.columns.length });
  let header: string[] | undefined;
  let rows = 0;
  const takeRecords = (records: string[][]): void => {
    for (const record of records) {
      if (header === undefined) header = checkHeader(control.file, dataset, record);
      else if (!(record.length === 1 && record[0] === '')) rows += 1;
    }
  };
  // Records are built only until the header is read; after it they are just counted.
  const take = (text: string): void => {
    if (header === undefined) takeRecords(reader.push(text));
    else rows += reader.count(text);
  };
  try {
    for await (const chunk of plain) take(decode.write(chunk as Buffer));
    take(decode.end());
    if (header === undefined) takeRecords(reader.end());
    else rows += reader.endCount();
    if (header === undefined) throw new BatchRejectedError('BAD_HEADER', `${control.file} is empty: it has no header row`);
  } catch (error) {
    if (sourceError !== undefined) throw landingReadFailed(control.file, sourceError);
    const rejection = classifyReadError(error, control.file, dataset);
    // Hash what is left: a transfer that corrupted the bytes is a checksum problem, not a content problem.
    data.unpipe(plain);
    data.resume();
    await finished(data).catch(() => undefined);
    if (sourceError !== undefined) throw landingReadFailed(control.file, sourceError);
    if (hash.digest('hex') !== control.sha256) {
      throw new BatchRejectedError('CHECKSUM_MISMATCH', `${control.file} hashes to a different SHA-256 than its control file declares`, { cause: error });
    }
    throw rejection;
  }

  const sha256 = hash.digest('hex');
  if (sha256 !== control.sha256) {
    throw new BatchRejectedError('CHECKSUM_MISMATCH', `${control.file} hashes to a different SHA-256 than its control file declares (${bytes} bytes received)`);
  }
  if (rows !== control.rowCount) {
    throw new BatchRejectedError('COUNT_MISMATCH', `${control.file} has ${rows} data rows; its control file declares ${control.rowCount}`);
  }
  return { rowCount: rows, sha256, bytes };
}

function landingReadFailed(file: string, cause: unknown): CurError {
  return new CurError('LANDING_READ_FAILED', `${file} could not be read to its end from landing; it is left there to be tried again`, { cause });
}

/**
 * The header as read (a byte order mark and spaces around names dropped) if it is the dataset's columns in contract
 * order.
 *
 * @throws BatchRejectedError BAD_HEADER, naming positions and column names only
 */
function checkHeader(file: string, dataset: DatasetSpec, record: readonly string[]): string[] {
  const header = record.map((name, i) => (i === 0 ? name.replace(/^\uFEFF/, '') : name).trim());
  const matches = header.length === dataset.columns.length && dataset.columns.every((column, i) => header[i] === column.name);
  if (!matches) throw new BatchRejectedError('BAD_HEADER', `${file} header does not match the contract: ${describeHeaderMismatch(header, dataset)}`);
  return header;
}

function classifyReadError(error: unknown, file: string, dataset: DatasetSpec): unknown {
  if (error instanceof BatchRejectedError) return error;
  if (error instanceof CsvFormatError) {
    return new BatchRejectedError('MALFORMED_CSV', `${file} ${describeCsvFormatError(error, dataset)}`, { cause: error, details: error.details });
  }
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (code.startsWith('Z_') || (error as Error).message.includes('incorrect header check')) {
    return new BatchRejectedError('UNDECODABLE_BYTES', `${file} is not valid gzip`, { cause: error });
  }
  return error;
}

/** A streaming decoder that rejects bytes that are not valid in the encoding rather than guessing. */
function textDecoder(encoding: ControlFile['encoding']): { write(chunk: Buffer): string; end(): string } {
  if (encoding === 'utf-8') {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const guard = (decode: () => string): string => {
      try {
        return decode();
      } catch (error) {
        throw new BatchRejectedError('UNDECODABLE_BYTES', 'the data file is not valid UTF-8', { cause: error });
      }
    };
    return { write: (chunk) => guard(() => decoder.decode(chunk, { stream: true })), end: () => guard(() => decoder.decode()) };
  }
  // Big5 as Taiwanese banks write it is CP950 (MS950). iconv-lite substitutes U+FFFD for invalid bytes, and a real
  // U+FFFD cannot be written in CP950, so one in the output means the input was not CP950.
  const decoder = iconv.getDecoder('cp950');
  const check = (text: string): string => {
    if (text.includes('\uFFFD')) throw new BatchRejectedError('UNDECODABLE_BYTES', 'the data file is not valid Big5 (CP950)');
    return text;
  };
  return { write: (chunk) => check(decoder.write(chunk)), end: () => check(decoder.end() ?? '') };
}

/**
 * A verified data file's text, chunk by chunk: gunzip when `.gz`, decoded from the declared encoding. What the mask
 * step feeds on, as records ({@link readLandingRecords}) or as UTF-8 text for the engine.
 */
export async function* readLandingText(control: ControlFile, data: Readable): AsyncGenerator<string> {
  const plain: Readable = control.file.endsWith('.gz') ? data.pipe(createGunzip()) : data;
  if (plain !== data) data.on('error', (error) => plain.destroy(error));
  const decode = textDecoder(control.encoding);
  for await (const chunk of plain) yield decode.write(chunk as Buffer);
  const rest = decode.end();
  if (rest !== '') yield rest;
}

/**
 * Reads a verified data file's rows in chunks, header left out: gunzip when `.gz`, decode from the declared encoding,
 * parse RFC 4180.
 *
 * @param chunkRows - rows per yielded chunk. @default 50_000
 */
export async function* readLandingRecords(control: ControlFile, data: Readable, chunkRows = 50_000): AsyncGenerator<string[][]> {
  const dataset = getDataset(control.dataset);
  const reader = new CsvRecordReader({ limits: landingCsvLimitsFor(dataset), fields: dataset.columns.length });
  let headerSeen = false;
  let pending: string[][] = [];
  const take = (records: string[][]): void => {
    for (const record of records) {
      if (!headerSeen) headerSeen = true;
      else if (!(record.length === 1 && record[0] === '')) pending.push(record);
    }
  };
  for await (const text of readLandingText(control, data)) {
    take(reader.push(text));
    if (pending.length >= chunkRows) {
      yield pending;
      pending = [];
    }
  }
  take(reader.end());
  if (pending.length > 0) yield pending;
}
