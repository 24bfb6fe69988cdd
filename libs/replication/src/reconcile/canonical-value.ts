import type { ColumnSpec } from '@cur/contracts';

/**
 * A value as the reconciliation hashes it, whatever store it came from: the lake's Parquet (numbers, bigints,
 * dates), Oracle (numbers fetched as text, `DATE`s) or SQLite (integers, reals, text). One text form per contract
 * type, so the same value hashes the same on both sides:
 *
 * - `string`: the text itself
 * - `int`, `bigint`: the integer in decimal digits
 * - `decimal(p,s)`: exactly `s` digits after the point (`12.30`), no leading zeros, `-` only when not zero
 * - `double`: JavaScript's shortest round-trip form (`0.1`, `1e-7`), `0` for both zeros
 * - `boolean`: `true` / `false`
 * - `date`: `YYYY-MM-DD`; `timestamp`: ISO 8601 in UTC
 * - null (or a missing value): `null`, which no text can be mistaken for
 *
 * @throws TypeError when the value cannot be of the column's type (names the type, never the value)
 */
export function canonicalValue(spec: Pick<ColumnSpec, 'type'>, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const decimal = /^decimal\(\d+,(\d+)\)$/.exec(spec.type);
  if (decimal) return canonicalDecimal(value, Number(decimal[1]));
  switch (spec.type) {
    case 'string':
      if (typeof value !== 'string') throw new TypeError(`a ${typeof value} is not text`);
      return value;
    case 'int':
    case 'bigint':
      return canonicalInteger(value);
    case 'double': {
      const number = typeof value === 'number' ? value : Number(typeof value === 'bigint' ? value : String(value));
      if (Number.isNaN(number) && !(typeof value === 'number' || String(value) === 'NaN')) throw new TypeError(`not a ${spec.type}`);
      return Object.is(number, -0) ? '0' : String(number);
    }
    case 'boolean':
      if (value === true || value === 1 || value === 1n || value === '1' || value === 'true') return 'true';
      if (value === false || value === 0 || value === 0n || value === '0' || value === 'false') return 'false';
      throw new TypeError('not a boolean');
    case 'date':
      return value instanceof Date ? value.toISOString().slice(0, 10) : canonicalDateText(String(value));
    case 'timestamp':
      return (value instanceof Date ? value : new Date(String(value))).toISOString();
    default:
      throw new TypeError(`no canonical form for ${spec.type}`);
  }
}

function canonicalInteger(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError('not a whole number');
    return String(value);
  }
  if (typeof value === 'string' && /^[+-]?\d+$/.test(value.trim())) return BigInt(value.trim()).toString();
  throw new TypeError('not a whole number');
}

function canonicalDecimal(value: unknown, scale: number): string {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('not a decimal');
    text = value.toFixed(scale);
  } else if (typeof value === 'bigint') {
    text = value.toString();
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    throw new TypeError('not a decimal');
  }
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) throw new TypeError('not a decimal');
  const integer = (match[2] ?? '').replace(/^0+(?=\d)/, '') || '0';
  let fraction = (match[3] ?? '').padEnd(scale, '0');
  // Digits past the scale stay only when they are not zeros, so a value the store did not keep exactly still differs.
  if (fraction.length > scale && /^0*$/.test(fraction.slice(scale))) fraction = fraction.slice(0, scale);
  const digits = scale === 0 && fraction === '' ? integer : `${integer}.${fraction}`;
  const zero = /^[0.]*$/.test(digits);
  return `${match[1] === '-' && !zero ? '-' : ''}${digits}`;
}

function canonicalDateText(text: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})(?:[T ]00:00:00(?:\.0+)?(?:Z|[+-]00:?00)?)?$/.exec(text.trim());
  if (!match) throw new TypeError('not a date');
  return match[1] as string;
}
