import { CRYPTO_ERROR_CODES, CryptoError } from './crypto-error';
import { FF1_CHUNK, FF1_MAX_RADIX, Ff1Engine, type Ff1Plan } from './ff1-engine';
import type { Ff1Cipher } from './types/ff1-cipher';

/** Alphabets FF1 callers use most; any other string of 2..65536 distinct characters works too. */
export const FF1_ALPHABETS = {
  /** Radix 10: account numbers, card numbers, phone numbers. */
  DIGITS: '0123456789',
  /** Radix 36, lower case (the NIST samples' radix-36 alphabet). */
  LOWER_ALPHANUMERIC: '0123456789abcdefghijklmnopqrstuvwxyz',
  /** Radix 36, upper case. */
  UPPER_ALPHANUMERIC: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  /** Radix 62: digits, upper case, lower case. */
  ALPHANUMERIC: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
} as const;

const EMPTY = new Uint8Array(0);

/** How strings map to numerals: code-unit table lookups, or code points when the alphabet leaves the BMP. */
interface Codec {
  readonly radix: number;
  /** UTF-16 code unit -> numeral, -1 outside the alphabet. */
  readonly table: Int32Array;
  /** numeral -> character(s). */
  readonly chars: readonly string[];
  /** numeral -> UTF-16 code unit, for alphabets of single code units (empty otherwise). */
  readonly units: Uint16Array;
  /** True when some code unit is above 255, so output text is decoded as UTF-16 rather than Latin-1. */
  readonly wide: boolean;
  /** Largest k with radix^k <= 2^53: digits per Number chunk on the BigInt path. */
  readonly chunkDigits: number;
  readonly chunkBig: bigint;
  /** Rewrites a value into one code unit per numeral, or returns it as is when the alphabet is all single units. */
  readonly normalise: ((value: string, index: number) => string) | undefined;
}

function outsideAlphabet(index: number, radix: number): CryptoError {
  return new CryptoError(
    CRYPTO_ERROR_CODES.FF1_DOMAIN,
    `FF1 value at index ${index} contains a character outside the radix-${radix} alphabet`,
  );
}

function createCodec(alphabet: string): Codec {
  const symbols = Array.from(alphabet);
  const radix = symbols.length;
  if (radix < 2 || radix > FF1_MAX_RADIX) {
    throw new CryptoError(CRYPTO_ERROR_CODES.INVALID_ALPHABET, `FF1 alphabet must have 2..${FF1_MAX_RADIX} characters, got ${radix}`);
  }
  if (new Set(symbols).size !== radix) {
    throw new CryptoError(CRYPTO_ERROR_CODES.INVALID_ALPHABET, 'FF1 alphabet repeats a character');
  }
  const singleUnits = symbols.every((symbol) => symbol.length === 1);
  let chunkDigits = 1;
  while (radix ** (chunkDigits + 1) <= 2 ** 53) chunkDigits++;
  const base = { radix, chars: symbols, chunkDigits, chunkBig: BigInt(radix) ** BigInt(chunkDigits) };
  if (singleUnits) {
    const units = Uint16Array.from(symbols, (symbol) => symbol.charCodeAt(0));
    const maxCode = Math.max(...units);
    const table = new Int32Array(maxCode + 1).fill(-1);
    units.forEach((unit, numeral) => {
      table[unit] = numeral;
    });
    return { ...base, table, units, wide: maxCode > 255, normalise: undefined };
  }
  // Astral alphabets: translate each value once to one code unit per numeral (unit = numeral), then share the path.
  const numerals = new Map(symbols.map((symbol, numeral) => [symbol, numeral]));
  const table = new Int32Array(radix);
  for (let numeral = 0; numeral < radix; numeral++) table[numeral] = numeral;
  const normalise = (value: string, index: number): string => {
    const units: number[] = [];
    for (const symbol of value) {
      const numeral = numerals.get(symbol);
      if (numeral === undefined) throw outsideAlphabet(index, radix);
      units.push(numeral);
    }
    let out = '';
    for (let k = 0; k < units.length; k += 4096) out += String.fromCharCode(...units.slice(k, k + 4096));
    return out;
  };
  return { ...base, table, units: new Uint16Array(0), wide: true, normalise };
}

/** NUM_radix of value[from, to) as a Number; the caller guarantees radix^(to-from) <= 2^44. */
function parseNumber(codec: Codec, value: string, from: number, to: number, index: number): number {
  const { table, radix } = codec;
  let x = 0;
  for (let p = from; p < to; p++) {
    const numeral = table[value.charCodeAt(p)] ?? -1;
    if (numeral < 0) throw outsideAlphabet(index, radix);
    x = x * radix + numeral;
  }
  return x;
}

/** STR_m(x) over the alphabet for a Number x < radix^m (BigInt path and astral alphabets). */
function formatNumber(codec: Codec, x: number, m: number): string {
  const { chars, radix } = codec;
  let out = '';
  for (let k = 0; k < m; k++) {
    const numeral = x % radix;
    out = chars[numeral] + out;
    x = (x - numeral) / radix;
  }
  return out;
}

/** NUM_radix of value[from, to) as a bigint, Number chunks of `chunkDigits` numerals at a time. */
function parseBig(codec: Codec, value: string, from: number, to: number, index: number): bigint {
  let x = 0n;
  for (let start = from; start < to; start += codec.chunkDigits) {
    const end = Math.min(to, start + codec.chunkDigits);
    const scale = end - start === codec.chunkDigits ? codec.chunkBig : BigInt(codec.radix) ** BigInt(end - start);
    x = x * scale + BigInt(parseNumber(codec, value, start, end, index));
  }
  return x;
}

/** STR_m(x) over the alphabet for a bigint x < radix^m. */
function formatBig(codec: Codec, x: bigint, m: number): string {
  let out = '';
  let left = m;
  while (left > 0) {
    const digits = Math.min(left, codec.chunkDigits);
    const scale = digits === codec.chunkDigits ? codec.chunkBig : BigInt(codec.radix) ** BigInt(digits);
    out = formatNumber(codec, Number(x % scale), digits) + out;
    x /= scale;
    left -= digits;
  }
  return out;
}

/** Per-instance chunk buffers, reused across calls (calls are synchronous, so never shared concurrently). */
interface Workspace {
  readonly a: Float64Array;
  readonly b: Float64Array;
  /** Output code units of one chunk; grown on demand, 2-byte aligned for the UTF-16 view. */
  text: Buffer;
}

/**
 * Writes STR_m(x) as code units ending before `end`. The quotient floor((x + 0.5) / radix) is exact in floating point
 * for x < 2^44: the fraction stays at least 0.5 / radix away from an integer, far beyond the rounding error.
 */
function writeUnits(units: Uint16Array, radix: number, inverse: number, x: number, m: number, target: Uint8Array | Uint16Array, end: number): void {
  for (let p = end - 1; p >= end - m; p--) {
    const q = Math.floor((x + 0.5) * inverse);
    target[p] = units[x - q * radix] ?? 0;
    x = q;
  }
}

/**
 * Formats a chunk of results: all code units go into one buffer, which is decoded to one string (a single native
 * call) and sliced per value. Much cheaper than building each string from characters.
 */
function formatChunk(
  codec: Codec,
  workspace: Workspace,
  plan: Ff1Plan,
  count: number,
  start: number,
  indices: Int32Array | undefined,
  out: string[],
): void {
  const { a, b } = workspace;
  const { u, v, n } = plan;
  if (codec.normalise !== undefined) {
    for (let j = 0; j < count; j++) {
      const index = indices === undefined ? start + j : (indices[start + j] ?? 0);
      out[index] = formatNumber(codec, a[j] ?? 0, u) + formatNumber(codec, b[j] ?? 0, v);
    }
    return;
  }
  const bytes = count * n * (codec.wide ? 2 : 1);
  if (workspace.text.length < bytes) workspace.text = Buffer.from(new ArrayBuffer(Math.max(bytes, workspace.text.length * 2)));
  const text = workspace.text;
  const target = codec.wide ? new Uint16Array(text.buffer, text.byteOffset, bytes / 2) : text;
  const { units, radix } = codec;
  const inverse = 1 / radix;
  for (let j = 0, end = 0; j < count; j++) {
    end += n;
    writeUnits(units, radix, inverse, a[j] ?? 0, u, target, end - v);
    writeUnits(units, radix, inverse, b[j] ?? 0, v, target, end);
  }
  const decoded = text.toString(codec.wide ? 'utf16le' : 'latin1', 0, bytes);
  for (let j = 0, from = 0; j < count; j++, from += n) {
    const index = indices === undefined ? start + j : (indices[start + j] ?? 0);
    out[index] = decoded.slice(from, from + n);
  }
}

function cryptGroup(
  engine: Ff1Engine,
  codec: Codec,
  workspace: Workspace,
  plan: Ff1Plan,
  values: readonly string[],
  indices: Int32Array | undefined,
  out: string[],
  decrypt: boolean,
): void {
  const total = indices === undefined ? values.length : indices.length;
  const { u, n } = plan;
  for (let start = 0; start < total; start += FF1_CHUNK) {
    const count = Math.min(FF1_CHUNK, total - start);
    if (plan.fast) {
      const { a, b } = workspace;
      for (let j = 0; j < count; j++) {
        const index = indices === undefined ? start + j : (indices[start + j] ?? 0);
        const value = values[index] ?? '';
        a[j] = parseNumber(codec, value, 0, u, index);
        b[j] = parseNumber(codec, value, u, n, index);
      }
      engine.cryptFast(plan, a, b, count, decrypt);
      formatChunk(codec, workspace, plan, count, start, indices, out);
    } else {
      const a: bigint[] = new Array<bigint>(count);
      const b: bigint[] = new Array<bigint>(count);
      for (let j = 0; j < count; j++) {
        const index = indices === undefined ? start + j : (indices[start + j] ?? 0);
        const value = values[index] ?? '';
        a[j] = parseBig(codec, value, 0, u, index);
        b[j] = parseBig(codec, value, u, n, index);
      }
      engine.cryptBig(plan, a, b, count, decrypt);
      for (let j = 0; j < count; j++) {
        const index = indices === undefined ? start + j : (indices[start + j] ?? 0);
        out[index] = formatBig(codec, a[j] ?? 0n, u) + formatBig(codec, b[j] ?? 0n, plan.v);
      }
    }
  }
}

function cryptBatch(
  engine: Ff1Engine,
  codec: Codec,
  workspace: Workspace,
  input: readonly string[],
  tweak: Uint8Array,
  decrypt: boolean,
): string[] {
  const count = input.length;
  if (count === 0) return [];
  const values = codec.normalise === undefined ? input : input.map(codec.normalise);
  const out = new Array<string>(count);
  const firstLength = values[0]?.length ?? 0;
  let uniform = true;
  for (let i = 1; i < count; i++) {
    if ((values[i]?.length ?? 0) !== firstLength) {
      uniform = false;
      break;
    }
  }
  if (uniform) {
    cryptGroup(engine, codec, workspace, engine.plan(firstLength, tweak), values, undefined, out, decrypt);
    return out;
  }
  // Different lengths mean different u, v and P: bucket the indices by length and run each bucket as a batch.
  const buckets = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    const length = values[i]?.length ?? 0;
    const bucket = buckets.get(length);
    if (bucket === undefined) buckets.set(length, [i]);
    else bucket.push(i);
  }
  for (const [length, indices] of buckets) {
    cryptGroup(engine, codec, workspace, engine.plan(length, tweak), values, Int32Array.from(indices), out, decrypt);
  }
  return out;
}

/**
 * Creates a batch FF1 format-preserving cipher (NIST SP 800-38G Rev. 1) over `alphabet`.
 *
 * The batch is processed round by round: each round of each chunk of up to 4096 values of one length is a single
 * native AES-ECB call. Halves up to 2^44 (for radix 10, values up to 26 digits) never touch BigInt; longer values
 * take an exact BigInt path with the same batching.
 *
 * @param key - AES key: 16, 24 or 32 bytes select AES-128, AES-192 or AES-256
 * @param alphabet - 2..65536 distinct characters; a character's index is its numeral value. See {@link FF1_ALPHABETS}.
 * @returns the cipher; it keeps per-length state and reusable buffers, so create it once per key and alphabet
 * @throws CryptoError `INVALID_KEY` or `INVALID_ALPHABET`
 * @example
 * const ff1 = createFf1(dataKey, FF1_ALPHABETS.DIGITS);
 * const tweak = new TextEncoder().encode('customer_profile.account_no');
 * const masked = ff1.encrypt(['0123456789', '9876543210'], tweak);
 * ff1.decrypt(masked, tweak); // ['0123456789', '9876543210']
 */
export function createFf1(key: Uint8Array, alphabet: string): Ff1Cipher {
  const codec = createCodec(alphabet);
  const engine = new Ff1Engine(key, codec.radix);
  const workspace: Workspace = {
    a: new Float64Array(FF1_CHUNK),
    b: new Float64Array(FF1_CHUNK),
    text: Buffer.from(new ArrayBuffer(FF1_CHUNK * 16)),
  };
  return {
    alphabet,
    radix: codec.radix,
    minLength: engine.minLength,
    encrypt: (values, tweak = EMPTY) => cryptBatch(engine, codec, workspace, values, tweak, false),
    decrypt: (values, tweak = EMPTY) => cryptBatch(engine, codec, workspace, values, tweak, true),
  };
}
