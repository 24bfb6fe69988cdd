/**
 * Throughput of the @cur/crypto masking primitives on one core, side by side with @noble/ciphers (pure JavaScript,
 * audited) and node:crypto, on the same distinct inputs. Prints a markdown table.
 *
 * Usage (from tools/bench): `tsx src/crypto-bench.ts [--sizes 1e5,1e6] [--reference-limit 1e5] [--no-pin]`
 * - `--sizes`: batch sizes, comma separated (default 1e5,1e6)
 * - `--reference-limit`: run the reference on at most this many of the inputs (default: all of them)
 * - `--no-pin`: do not re-run pinned to CPU 0 with `taskset`
 */
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { cpus } from 'node:os';
import { pathToFileURL } from 'node:url';
import { aessiv, gcmsiv } from '@noble/ciphers/aes.js';
import { FF1 } from '@noble/ciphers/ff1.js';
import {
  FF1_ALPHABETS,
  NATIONAL_ID_CLASS_DIGITS,
  NATIONAL_ID_DOMAIN,
  NATIONAL_ID_RADIX,
  createAesGcmSiv,
  createAesSiv,
  createFf1,
  createHmacTokenizer,
  createNationalIdFpe,
  nationalIdCheckDigit,
} from '@cur/crypto';
import { chineseNames, emails, nationalIds, tenDigitValues } from './inputs';
import { formatMarkdownTable, measureRate, type BenchRow, type MeasureOptions } from './measure';

const PINNED_ENV = 'CUR_BENCH_PINNED';
const SAMPLE = 1_000;
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Fixed, obviously non-secret keys: the benchmark must be reproducible. */
const KEY16 = Uint8Array.from({ length: 16 }, (_, i) => i * 17 + 1);
const KEY32 = Uint8Array.from({ length: 32 }, (_, i) => i * 13 + 7);
const TWEAK = new TextEncoder().encode('customer_profile.account_no');
const COLUMN = new TextEncoder().encode('customer_profile.name');
const NONCE = new Uint8Array(12).fill(0x2a);

interface Options {
  readonly sizes: number[];
  readonly referenceLimit: number;
  readonly pin: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const valueOf = (flag: string): string | undefined => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : argv.find((arg) => arg.startsWith(`${flag}=`))?.slice(flag.length + 1);
  };
  const sizes = (valueOf('--sizes') ?? '1e5,1e6').split(',').map((size) => Math.round(Number(size)));
  if (sizes.some((size) => !Number.isInteger(size) || size < 1)) throw new Error('--sizes takes positive numbers, e.g. 1e5,1e6');
  const referenceLimit = Math.round(Number(valueOf('--reference-limit') ?? Number.POSITIVE_INFINITY));
  return { sizes, referenceLimit: Number.isNaN(referenceLimit) ? Number.POSITIVE_INFINITY : referenceLimit, pin: !argv.includes('--no-pin') };
}

/** Re-runs this script under `taskset -c 0` so JavaScript, OpenSSL and GC helper threads share one core. */
function runPinned(): boolean {
  if (process.env[PINNED_ENV] !== undefined || process.platform !== 'linux') return false;
  const result = spawnSync('taskset', ['-c', '0', process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, [PINNED_ENV]: '1' },
  });
  if (result.error !== undefined) return false;
  process.exitCode = result.status ?? 1;
  return true;
}

/** The national-ID scheme of @cur/crypto restated on @noble/ciphers FF1, value by value. */
function nobleNationalIdEncrypt(ff1: ReturnType<typeof FF1>, id: string): string {
  let x = (LETTERS.indexOf(id[0] ?? '') * 4 + NATIONAL_ID_CLASS_DIGITS.indexOf(id[1] ?? '')) * 10_000_000 + Number(id.slice(2, 9));
  do {
    const [high = 0, low = 0] = ff1.encrypt([Math.floor(x / NATIONAL_ID_RADIX), x % NATIONAL_ID_RADIX]);
    x = high * NATIONAL_ID_RADIX + low;
  } while (x >= NATIONAL_ID_DOMAIN);
  const middle = x % 10_000_000;
  const rest = (x - middle) / 10_000_000;
  const first9 = `${LETTERS[Math.floor(rest / 4)]}${NATIONAL_ID_CLASS_DIGITS[rest % 4]}${String(middle).padStart(7, '0')}`;
  return first9 + nationalIdCheckDigit(first9);
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}

/** Checks that ours and the reference agree on the first values, so the rows compare the same work. */
function assertAgree(label: string, ours: readonly string[], reference: readonly string[]): void {
  const n = Math.min(ours.length, reference.length, SAMPLE);
  for (let i = 0; i < n; i++) {
    if (ours[i] !== reference[i]) throw new Error(`${label}: ours and the reference disagree at index ${i}`);
  }
}

/** What every section needs: sizes, timing options and the row sink. */
interface Section {
  readonly size: number;
  readonly refCount: number;
  readonly ours: MeasureOptions;
  readonly push: (row: BenchRow) => void;
}

/** Each section is its own function, so its inputs and outputs are garbage once it returns. */
function benchFf1({ size, refCount, ours, push }: Section): void {
  const digits = tenDigitValues(size);
  const ff1 = createFf1(KEY16, FF1_ALPHABETS.DIGITS);
  const nobleFf1 = FF1(10, KEY16, TWEAK);
  const digitArrays = digits.slice(0, refCount).map((value) => Array.from(value, Number));
  let masked: string[] = [];
  const ff1Rate = measureRate(size, () => (masked = ff1.encrypt(digits, TWEAK)), ours);
  let nobleMasked: number[][] = [];
  const nobleFf1Rate = measureRate(refCount, () => (nobleMasked = digitArrays.map((value) => nobleFf1.encrypt(value))));
  assertAgree('FF1', masked, nobleMasked.map((value) => value.join('')));
  push({ primitive: 'FF1 encrypt (AES-128)', input: '10-digit numbers', values: size, ours: ff1Rate, reference: '@noble/ciphers FF1 (digit arrays in and out)', referenceRate: nobleFf1Rate, referenceValues: refCount });
  const ff1DecryptRate = measureRate(size, () => ff1.decrypt(masked, TWEAK), ours);
  const nobleDecryptRate = measureRate(refCount, () => nobleMasked.map((value) => nobleFf1.decrypt(value)));
  push({ primitive: 'FF1 decrypt (AES-128)', input: '10-digit numbers', values: size, ours: ff1DecryptRate, reference: '@noble/ciphers FF1 (digit arrays in and out)', referenceRate: nobleDecryptRate, referenceValues: refCount });
}

function benchNationalId({ size, refCount, ours, push }: Section): void {
  const ids = nationalIds(size);
  const fpe = createNationalIdFpe(KEY16);
  const nobleIdFf1 = FF1(NATIONAL_ID_RADIX, KEY16, TWEAK);
  let maskedIds: string[] = [];
  const idRate = measureRate(size, () => (maskedIds = fpe.encrypt(ids, TWEAK)), ours);
  let nobleIds: string[] = [];
  const referenceIds = ids.slice(0, refCount);
  const nobleIdRate = measureRate(refCount, () => (nobleIds = referenceIds.map((id) => nobleNationalIdEncrypt(nobleIdFf1, id))));
  assertAgree('national-ID FPE', maskedIds, nobleIds);
  push({ primitive: 'national-ID FPE encrypt', input: 'valid IDs (A123456789)', values: size, ours: idRate, reference: 'same scheme on @noble/ciphers FF1', referenceRate: nobleIdRate, referenceValues: refCount });
}

function benchSiv({ size, refCount, ours, push }: Section, label: string, strings: readonly string[]): void {
  const encoder = new TextEncoder();
  const siv = createAesSiv(KEY32);
  const gcm = createAesGcmSiv(KEY32);
  const plaintexts = strings.map((text) => encoder.encode(text));
  const referencePlaintexts = plaintexts.slice(0, refCount);
  let tokens: Uint8Array[] = [];
  const sealRate = measureRate(size, () => (tokens = siv.seal(plaintexts, [COLUMN])), ours);
  let nobleTokens: Uint8Array[] = [];
  const nobleSealRate = measureRate(refCount, () => (nobleTokens = referencePlaintexts.map((plaintext) => aessiv(KEY32, COLUMN).encrypt(plaintext))));
  assertAgree(`AES-SIV ${label}`, tokens.slice(0, SAMPLE).map(hex), nobleTokens.slice(0, SAMPLE).map(hex));
  push({ primitive: 'AES-SIV seal (AES-128, AD = column)', input: label, values: size, ours: sealRate, reference: '@noble/ciphers aessiv', referenceRate: nobleSealRate, referenceValues: refCount });
  const openRate = measureRate(size, () => siv.open(tokens, [COLUMN]), ours);
  const nobleOpenRate = measureRate(refCount, () => nobleTokens.map((token) => aessiv(KEY32, COLUMN).decrypt(token)));
  push({ primitive: 'AES-SIV open (AES-128, AD = column)', input: label, values: size, ours: openRate, reference: '@noble/ciphers aessiv', referenceRate: nobleOpenRate, referenceValues: refCount });
  tokens = [];
  nobleTokens = [];

  let textTokens: string[] = [];
  const textRate = measureRate(size, () => (textTokens = siv.sealText(strings, [COLUMN])), ours);
  const referenceStrings = strings.slice(0, refCount);
  let nobleText: string[] = [];
  const nobleTextRate = measureRate(refCount, () => (nobleText = referenceStrings.map((text) => Buffer.from(aessiv(KEY32, COLUMN).encrypt(encoder.encode(text))).toString('base64url'))));
  assertAgree(`AES-SIV text ${label}`, textTokens, nobleText);
  push({ primitive: 'AES-SIV sealText (string -> base64url token)', input: label, values: size, ours: textRate, reference: 'TextEncoder + @noble/ciphers aessiv + base64url', referenceRate: nobleTextRate, referenceValues: refCount });
  textTokens = [];
  nobleText = [];

  let gcmTokens: Uint8Array[] = [];
  const gcmRate = measureRate(size, () => (gcmTokens = gcm.seal(plaintexts, NONCE, COLUMN)), ours);
  let nobleGcmTokens: Uint8Array[] = [];
  const nobleGcmRate = measureRate(refCount, () => (nobleGcmTokens = referencePlaintexts.map((plaintext) => gcmsiv(KEY32, NONCE, COLUMN).encrypt(plaintext))));
  assertAgree(`AES-GCM-SIV ${label}`, gcmTokens.slice(0, SAMPLE).map(hex), nobleGcmTokens.slice(0, SAMPLE).map(hex));
  push({ primitive: 'AES-GCM-SIV seal (AES-256, fixed nonce)', input: label, values: size, ours: gcmRate, reference: '@noble/ciphers gcmsiv', referenceRate: nobleGcmRate, referenceValues: refCount });
}

function benchHmac({ size, refCount, ours, push }: Section): void {
  const addresses = emails(size);
  const tokenizer = createHmacTokenizer(KEY32);
  let hmacTokens: string[] = [];
  const hmacRate = measureRate(size, () => (hmacTokens = tokenizer.tokens(addresses)), ours);
  const referenceAddresses = addresses.slice(0, refCount);
  let nodeTokens: string[] = [];
  const nodeRate = measureRate(refCount, () => (nodeTokens = referenceAddresses.map((address) => createHmac('sha256', KEY32).update(address).digest().subarray(0, 16).toString('base64url'))));
  assertAgree('HMAC token', hmacTokens, nodeTokens);
  push({ primitive: 'HMAC-SHA256 token (16 B, base64url)', input: 'e-mail addresses (18-30 B)', values: size, ours: hmacRate, reference: 'node:crypto createHmac per value', referenceRate: nodeRate, referenceValues: refCount });
}

function benchSize(size: number, referenceLimit: number): BenchRow[] {
  const rows: BenchRow[] = [];
  const started = Date.now();
  const section: Section = {
    size,
    refCount: Math.min(size, referenceLimit),
    // Ours: one untimed run over the whole batch, then the best of several; the references run once, value by value.
    ours: { warmups: 1, repeats: size <= 100_000 ? 5 : 3 },
    push: (row) => {
      rows.push(row);
      process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${row.primitive}, ${row.input}, ${row.values}: done\n`);
    },
  };
  benchFf1(section);
  benchNationalId(section);
  benchSiv(section, 'short names (3-4 Chinese chars, 9-12 B)', chineseNames(size));
  benchSiv(section, 'e-mail addresses (18-30 B)', emails(size));
  benchHmac(section);
  return rows;
}

/** Runs the benchmark and prints the markdown report. */
export function main(argv: readonly string[] = process.argv.slice(2)): void {
  const options = parseOptions(argv);
  if (options.pin && runPinned()) return;
  const pinned = process.env[PINNED_ENV] !== undefined;
  console.log('# @cur/crypto throughput\n');
  console.log(`- Node ${process.version}, OpenSSL ${process.versions.openssl}, ${cpus()[0]?.model ?? 'unknown CPU'}`);
  console.log(`- ${pinned ? 'pinned to CPU 0 (taskset -c 0): one core for JavaScript, OpenSSL and GC' : 'not pinned (taskset unavailable or --no-pin)'}`);
  console.log('- ours: values/s of one call on the whole batch, best of 5 (<= 1e5 values) or 3 after one untimed run; references: value by value, one timed run; each section drops its data before the next');
  console.log(`- ours and the reference agree on the first ${SAMPLE} outputs of every row (checked, the run fails otherwise)\n`);
  const rows: BenchRow[] = [];
  for (const size of options.sizes) rows.push(...benchSize(size, options.referenceLimit));
  console.log(formatMarkdownTable(rows));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
