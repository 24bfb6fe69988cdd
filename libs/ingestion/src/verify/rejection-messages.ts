import type { DatasetSpec } from '@cur/contracts';
import type { z } from 'zod';
import { CSV_FORMAT_PROBLEMS, type CsvFormatError } from '../csv/csv-format-error';

/*
 * The texts of rejection reasons that describe what a sender sent. They go to the ledger (`cur ingest status`, every
 * role), quarantine's reason.json, `cur ingest push` and logs, so they are built from positions, counts, file and
 * column names and the contract's own words only: a value of the file, or of a key the sender wrote, never gets in.
 */

/** What each control file key must be, in the contract's words (PRODUCT.md §5). */
const CONTROL_FILE_KEYS: Readonly<Record<string, string>> = {
  dataset: 'a declared dataset name (snake_case)',
  businessDate: 'an ISO date YYYY-MM-DD',
  file: '<dataset>_<YYYYMMDD>.csv or .csv.gz, for the same dataset and business date',
  rowCount: 'the number of data rows, an integer >= 0',
  sha256: "the data file's SHA-256, 64 lower-case hex digits",
  encoding: 'utf-8 or big5',
  schemaVersion: "the dataset's schema version, an integer >= 1",
};

/**
 * Which keys of a control file break its schema and what each must be; keys the schema does not have are counted,
 * not named (their names are the sender's text).
 */
export function describeControlFileIssues(issues: readonly z.core.$ZodIssue[]): string {
  const wrong = new Set<string>();
  let unknownKeys = 0;
  let other = 0;
  for (const issue of issues) {
    const key = String(issue.path[0] ?? '');
    if (issue.code === 'unrecognized_keys') unknownKeys += issue.keys.length;
    else if (Object.hasOwn(CONTROL_FILE_KEYS, key)) wrong.add(key);
    else other += 1;
  }
  const parts = [...wrong].map((key) => `${key} must be ${CONTROL_FILE_KEYS[key]}`);
  if (unknownKeys > 0) parts.push(`${unknownKeys} key(s) that are not in the schema (allowed: ${Object.keys(CONTROL_FILE_KEYS).join(', ')})`);
  if (other > 0 || parts.length === 0) parts.push('the file must be one JSON object');
  return parts.join('; ');
}

/**
 * How a header differs from the dataset's columns: field counts, the first position that differs, and how many of
 * its fields are not column names at all (a file without a header row starts with a customer's row). A header field
 * is named only when it is one of the dataset's column names.
 */
export function describeHeaderMismatch(header: readonly string[], dataset: DatasetSpec): string {
  const expected = dataset.columns.map((column) => column.name);
  const known = new Set(expected);
  const parts: string[] = [];
  if (header.length !== expected.length) parts.push(`it has ${header.length} field(s) where ${dataset.name} has ${expected.length} columns`);
  const first = expected.findIndex((name, i) => header[i] !== name);
  const at = first === -1 ? expected.length : first;
  if (at < header.length) {
    const got = header[at] as string;
    parts.push(known.has(got) ? `field ${at + 1} is ${got} where the contract has ${expected[at] ?? 'no column'}` : `field ${at + 1} is not a column name (the contract has ${expected[at] ?? 'no column'} there)`);
  }
  const unknown = header.filter((name) => !known.has(name)).length;
  if (unknown > 0) parts.push(`${unknown} of its ${header.length} field(s) are not column names of ${dataset.name}; a file without a header row starts with data`);
  return `${parts.join('; ')}. Expected: ${expected.join(', ')}`;
}

/** A CSV structure problem with its record and, when it is in one field, the column that field belongs to. */
export function describeCsvFormatError(error: CsvFormatError, dataset: DatasetSpec): string {
  const { record, field, fields, limit } = error.position;
  const where = record === 1 ? 'record 1 (the header)' : `record ${record} (the header is record 1)`;
  const column = field === undefined ? '' : `, ${columnAt(dataset, field)}`;
  const counts =
    error.problem === 'FIELD_COUNT'
      ? `: it has ${fields} fields, ${dataset.name} has ${limit} columns`
      : limit === undefined
        ? ''
        : ` of ${limit} characters`;
  return `${where}${column}: ${CSV_FORMAT_PROBLEMS[error.problem]}${counts}`;
}

function columnAt(dataset: DatasetSpec, field: number): string {
  const column = dataset.columns[field - 1];
  return column ? `column ${column.name}` : `field ${field} (beyond the ${dataset.columns.length} columns of ${dataset.name})`;
}
