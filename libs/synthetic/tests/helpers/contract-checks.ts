import type { DatasetSpec } from '@cur/contracts';

/**
 * Independent re-implementations of the format rules, written from the brief, so the tests do not check the
 * generator with its own code.
 */

const LETTER_CODES: Record<string, number> = {
  A: 10, B: 11, C: 12, D: 13, E: 14, F: 15, G: 16, H: 17, I: 34, J: 18, K: 19, L: 20, M: 21,
  N: 22, O: 35, P: 23, Q: 24, R: 25, S: 26, T: 27, U: 28, V: 29, W: 32, X: 30, Y: 31, Z: 33,
};

/** The national ID checksum, from the brief. */
export function nationalIdIsValid(id: string): boolean {
  if (!/^[A-Z][12]\d{8}$/.test(id)) return false;
  const code = LETTER_CODES[id[0] as string] as number;
  const digits = [Math.floor(code / 10), code % 10, ...id.slice(1).split('').map(Number)];
  const weights = [1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1];
  return digits.reduce((sum, digit, i) => sum + digit * (weights[i] as number), 0) % 10 === 0;
}

/** Luhn, from its definition. */
export function luhnIsValid(digits: string): boolean {
  let sum = 0;
  [...digits].reverse().forEach((ch, i) => {
    let d = Number(ch);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  });
  return sum % 10 === 0;
}

/** ROC `YYYMMDD` to a real ISO date, or undefined when no such date exists. */
export function rocToIso(roc: string): string | undefined {
  if (!/^\d{7}$/.test(roc)) return undefined;
  const year = Number(roc.slice(0, 3)) + 1911;
  const month = Number(roc.slice(3, 5));
  const day = Number(roc.slice(5, 7));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

const CITY_PREFIX = /^(臺|台)(北市|中市|南市|東縣)|^(新北市|桃園市|高雄市|基隆市|新竹市|新竹縣|苗栗縣|彰化縣|南投縣|雲林縣|嘉義市|嘉義縣|屏東縣|宜蘭縣|花蓮縣|澎湖縣|金門縣|連江縣)/;
const SENTINELS = new Set(['NULL', 'null', '-', 'N/A']);

/**
 * Why a value breaks the contract (column type, allowed values, range, source format, semantic shape), or
 * undefined when it is fine.
 */
export function columnProblem(dataset: DatasetSpec, columnName: string, value: string, businessDate: string): string | undefined {
  const column = dataset.columns.find((candidate) => candidate.name === columnName);
  if (!column) return 'unknown column';
  if (value !== value.trim() || value.includes('\u3000')) return 'surrounding spaces';
  if (SENTINELS.has(value)) return 'null sentinel';
  if (value === '') return column.nullable ? undefined : 'empty required value';
  if (column.allowedValues && !column.allowedValues.includes(value)) return 'not an allowed value';
  switch (column.sourceFormat) {
    case 'roc_date':
      if (!rocToIso(value)) return 'not an ROC date';
      break;
    case 'iso_datetime':
      if (!/^\d{4}-\d{2}-\d{2} ([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/.test(value) || !value.startsWith(businessDate)) return 'not a time on the business date';
      break;
    case 'decimal':
      if (!/^-?\d+\.\d{2}$/.test(value)) return 'not a 2-decimal number';
      break;
    case 'integer':
      if (!/^\d+$/.test(value)) return 'not an integer';
      break;
    default:
      break;
  }
  if (column.range && (Number(value) < column.range.min || Number(value) > column.range.max)) return 'out of range';
  switch (column.semantic) {
    case 'national_id':
      return nationalIdIsValid(value) ? undefined : 'invalid national ID';
    case 'person_name':
      return /^[\u4e00-\u9fff]{2,4}$/.test(value) ? undefined : 'not a Chinese name';
    case 'mobile':
      return /^09\d{8}$/.test(value) ? undefined : 'not a 09 mobile';
    case 'email':
      return /^[a-z0-9._]+@[a-z0-9.]+\.[a-z]+$/.test(value) ? undefined : 'not an e-mail';
    case 'address':
      return CITY_PREFIX.test(value) && value.includes('號') ? undefined : 'not a Taiwanese address';
    case 'account_number':
      return /^\d{14}$/.test(value) ? undefined : 'not a 14-digit account';
    case 'card_number':
      return /^\d{16}$/.test(value) && luhnIsValid(value) ? undefined : 'not a 16-digit Luhn card number';
    case 'device_id':
      return /^([0-9a-f]{16}|[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12})$/.test(value) ? undefined : 'not a device id';
    case 'ip_address':
      return /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(value) && value.split('.').every((octet) => Number(octet) <= 255) ? undefined : 'not IPv4';
    default:
      break;
  }
  if (columnName === 'branch_code' && !/^\d{3}$/.test(value)) return 'not a 3-digit branch';
  if (columnName === 'merchant_category' && !/^\d{4}$/.test(value)) return 'not a 4-digit MCC';
  if (columnName === 'occupation_code' && !/^\d{2}$/.test(value)) return 'not an occupation code';
  return undefined;
}

/** The problems of one row, as `column: problem`. */
export function rowProblems(dataset: DatasetSpec, row: readonly string[], businessDate: string): string[] {
  if (row.length !== dataset.columns.length) return [`has ${row.length} fields`];
  return dataset.columns.flatMap((column, i) => {
    const problem = columnProblem(dataset, column.name, row[i] as string, businessDate);
    return problem ? [`${column.name}: ${problem}`] : [];
  });
}
