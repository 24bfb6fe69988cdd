/**
 * A growable byte buffer for batch text work: values of one chunk are written back to back, then viewed or decoded
 * together, so no per-value buffer outlives the chunk.
 *
 * @internal
 */
export class ByteArena {
  /** The bytes; replaced by a larger buffer when {@link ByteArena.reserve} grows it. */
  bytes: Buffer;

  /** @param initial - starting capacity in bytes */
  constructor(initial = 64 * 1024) {
    this.bytes = Buffer.allocUnsafe(initial);
  }

  /** Makes room for `size` bytes, keeping the first `used` bytes. */
  reserve(used: number, size: number): void {
    if (this.bytes.length >= size) return;
    const next = Buffer.allocUnsafe(Math.max(size, this.bytes.length * 2));
    this.bytes.copy(next, 0, 0, used);
    this.bytes = next;
  }
}

/**
 * Writes `value` as UTF-8 at `at` (ASCII in JavaScript, anything else through the native encoder; lone surrogates
 * become U+FFFD exactly as `TextEncoder` and `Buffer` do). Grows the arena as needed.
 *
 * @returns the number of bytes written
 * @internal
 */
export function writeUtf8(arena: ByteArena, value: string, at: number): number {
  const length = value.length;
  arena.reserve(at, at + length * 3);
  const bytes = arena.bytes;
  for (let i = 0; i < length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0x80) return bytes.write(value, at, 'utf8');
    bytes[at + i] = code;
  }
  return length;
}

/**
 * Decodes `count` UTF-8 values laid out at `starts[j]` with `lengths[j]` into `out[outStart + j]`. When the chunk is
 * all ASCII it is decoded once and sliced; otherwise each value is decoded natively.
 *
 * @internal
 */
export function readUtf8Chunk(bytes: Uint8Array, starts: Int32Array, lengths: Int32Array, count: number, out: string[], outStart: number): void {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const end = count === 0 ? 0 : (starts[count - 1] ?? 0) + (lengths[count - 1] ?? 0);
  let ascii = true;
  for (let p = starts[0] ?? 0; p < end; p++) {
    if ((bytes[p] ?? 0) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    const first = starts[0] ?? 0;
    const text = buffer.toString('latin1', first, end);
    for (let j = 0; j < count; j++) {
      const from = (starts[j] ?? 0) - first;
      out[outStart + j] = text.slice(from, from + (lengths[j] ?? 0));
    }
    return;
  }
  for (let j = 0; j < count; j++) {
    const from = starts[j] ?? 0;
    out[outStart + j] = buffer.toString('utf8', from, from + (lengths[j] ?? 0));
  }
}
