import { createHash } from 'node:crypto';
import { getDataset } from '@cur/contracts';

/**
 * customer_profile rows made of made-up canary values: Chinese names (one with a compound surname), Taiwanese
 * addresses, national IDs, mobiles, e-mails, and distinctive public values. None may ever appear in an error, a
 * reason, a log line or an event.
 */
export const CANARY_ROWS: readonly (readonly string[])[] = [
  ['Q298765437', '龔雀鳴', '0771213', 'M', '0955123987', 'zqcanary.wing@example.test', '臺南市安平區金絲雀路88巷7號3樓', '001', '1050301', '3', 'ZQX9'],
  ['R187654329', '歐陽金絲', '0830419', 'F', '0966321789', 'zqcanary.tail@example.test', '新北市板橋區雀鳥街12號', '002', '1100715', '2', 'ZQX8'],
  ['S298761234', '陳測雀', '0690707', 'M', '0977111222', 'zqcanary.beak@example.test', '高雄市前鎮區測試二路2之1號', '003', '0990102', '5', 'ZQX7'],
];

/** Fragments that are distinctive enough that any occurrence is a leak (a value cut short or reformatted included). */
const CANARY_FRAGMENTS = ['zqcanary', 'example.test', 'q29876', 'r18765', 's29876', '0955123', '0966321', '0977111', 'zqx'];

/** customer_profile's header row. */
export const PROFILE_HEADER: readonly string[] = getDataset('customer_profile').columns.map((column) => column.name);

/** Rows as RFC 4180 CSV lines, CRLF-ended, quoting only what needs it. */
export function csvLines(rows: readonly (readonly string[])[]): string {
  const quote = (field: string): string => (/[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field);
  return rows.map((row) => `${row.map(quote).join(',')}\r\n`).join('');
}

/** Rows as lines written exactly as given: for rows that break the CSV rules on purpose. */
export function rawLines(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => `${row.join(',')}\r\n`).join('');
}

/** A control file telling the truth about `data` unless patched. */
export function controlFor(data: Buffer, patch: Record<string, unknown> = {}, options: { gzip?: boolean; rowCount?: number } = {}): Record<string, unknown> {
  return {
    dataset: 'customer_profile',
    businessDate: '2026-11-25',
    file: `customer_profile_20261125.csv${options.gzip ? '.gz' : ''}`,
    rowCount: options.rowCount ?? CANARY_ROWS.length,
    sha256: createHash('sha256').update(data).digest('hex'),
    encoding: 'utf-8',
    schemaVersion: 1,
    ...patch,
  };
}

/**
 * The canaries found in `text`: any Han character (no output of ingestion is in Chinese, so one is a name or an
 * address), any whole canary value of four characters or more, any distinctive fragment.
 */
export function canariesIn(text: string): string[] {
  const found: string[] = [];
  const han = /\p{Script=Han}+/u.exec(text);
  if (han) found.push(han[0]);
  for (const value of CANARY_ROWS.flat()) if (value.length >= 4 && text.includes(value)) found.push(value);
  const lower = text.toLowerCase();
  for (const fragment of CANARY_FRAGMENTS) if (lower.includes(fragment)) found.push(fragment);
  return found;
}

/** Everything an error carries that a person might read: name, code, message, details, stack, its causes'. */
export function errorText(error: unknown, depth = 0): string {
  if (!(error instanceof Error) || depth > 5) return String(error);
  const { code, details } = error as Error & { code?: unknown; details?: unknown };
  return [error.name, String(code), error.message, JSON.stringify(details ?? {}), error.stack ?? '', error.cause === undefined ? '' : errorText(error.cause, depth + 1)].join('\n');
}
