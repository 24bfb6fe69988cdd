import { PAD2 } from './calendar';

/**
 * Replaces ASCII digits, `.`, `-` and `,` with their full-width forms (`１２．５`), as older Big5 systems and hand
 * typed addresses often have them. All of them exist in CP950.
 */
export function toFullWidth(text: string): string {
  return text.replace(/[0-9.\-,]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
}

/**
 * Writes an amount in cents with two decimals: `123456` -> `1234.56`, `-5` -> `-0.05`.
 * @internal
 */
export function formatCents(cents: number): string {
  const negative = cents < 0;
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100);
  return `${negative ? '-' : ''}${whole}.${PAD2[abs - whole * 100]}`;
}

/**
 * Writes an amount in cents with two decimals and thousands separators: `123456` -> `1,234.56`.
 * @internal
 */
export function formatCentsGrouped(cents: number): string {
  const plain = formatCents(cents);
  const [integer = '', fraction = ''] = plain.split('.');
  const sign = integer.startsWith('-') ? '-' : '';
  const digits = sign ? integer.slice(1) : integer;
  return `${sign}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
}
