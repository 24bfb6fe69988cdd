import { CSV_LINE_END } from '../constants';

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV field as RFC 4180 writes it: quoted when it contains a comma, a double quote, CR or LF, with inner double
 * quotes doubled; otherwise as is (leading and trailing spaces are part of the field and are kept).
 *
 * @example
 * csvField('好市多 Costco, 內湖店'); // '"好市多 Costco, 內湖店"'
 * csvField('"老王"牛肉麵'); // '"""老王""牛肉麵"'
 */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * One CSV record, fields joined by commas, ended by {@link CSV_LINE_END} (CRLF).
 * @internal
 */
export function formatCsvRow(fields: readonly string[]): string {
  let line = csvField(fields[0] ?? '');
  for (let i = 1; i < fields.length; i += 1) line += `,${csvField(fields[i] as string)}`;
  return line + CSV_LINE_END;
}
