import { open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

const QUOTE = 0x22;
const NEWLINE = 0x0a;

/** One part of a CSV file: the file's header line, then whole records, in file order. */
export interface CsvPart {
  /** 0 for the file's first records. */
  readonly index: number;
  /** The part's file: owner-only, removed when the next part is asked for or the parts are abandoned. */
  readonly path: string;
  /** Bytes of records in it, header left out. */
  readonly bytes: number;
}

/**
 * Cuts a UTF-8 CSV byte stream (RFC 4180) into files of about `partBytes` bytes of records each, every one starting
 * with the stream's header line, cut only between records: at a line feed outside quotes. A quote's parity says
 * whether a line feed is inside a quoted field (an escaped quote is two of them), and in UTF-8 neither byte is ever
 * part of another character, so no decoding is needed. A record longer than `partBytes` goes whole into its part.
 *
 * Parts are written one at a time into `dir` (owner-only files: they hold what the stream holds) and each is deleted
 * when the next is asked for, or when the caller stops early or fails: at most one part is on disk at once.
 */
export async function* csvParts(bytes: AsyncIterable<Buffer>, dir: string, partBytes: number): AsyncGenerator<CsvPart> {
  if (!(partBytes > 0)) throw new RangeError(`partBytes must be positive, got ${partBytes}`);
  const headerChunks: Buffer[] = [];
  let header: Buffer | undefined;
  let inQuotes = false;
  let index = 0;
  let file: { handle: FileHandle; path: string; bytes: number } | undefined;
  let previous: string | undefined;

  /** Flips `inQuotes` for each quote in `chunk[from, to)`. */
  const passQuotes = (chunk: Buffer, from: number, to: number): void => {
    for (let at = chunk.indexOf(QUOTE, from); at !== -1 && at < to; at = chunk.indexOf(QUOTE, at + 1)) inQuotes = !inQuotes;
  };
  /** The index just past the first line feed outside quotes in `chunk[from, ...)`, or -1; quotes passed are counted. */
  const recordEnd = (chunk: Buffer, from: number): number => {
    for (let at = from; at < chunk.length; ) {
      const newline = chunk.indexOf(NEWLINE, at);
      if (newline === -1) {
        passQuotes(chunk, at, chunk.length);
        return -1;
      }
      passQuotes(chunk, at, newline);
      if (!inQuotes) return newline + 1;
      at = newline + 1;
    }
    return -1;
  };
  const startPart = async (): Promise<NonNullable<typeof file>> => {
    const path = join(dir, `part-${String(index).padStart(5, '0')}.csv`);
    const handle = await open(path, 'w', 0o600);
    await handle.write(header ?? Buffer.alloc(0));
    return { handle, path, bytes: 0 };
  };
  const finishPart = async (): Promise<CsvPart> => {
    const done = file as NonNullable<typeof file>;
    file = undefined;
    await done.handle.close();
    return { index: index++, path: done.path, bytes: done.bytes };
  };
  const write = async (chunk: Buffer, from: number, to: number): Promise<void> => {
    if (to <= from) return;
    const target = file as NonNullable<typeof file>;
    await target.handle.write(chunk, from, to - from);
    target.bytes += to - from;
  };
  /** Hands a finished part to the caller; the one before it is deleted first. */
  async function* hand(part: CsvPart): AsyncGenerator<CsvPart> {
    if (previous) await rm(previous, { force: true });
    previous = part.path;
    yield part;
  }

  try {
    for await (const chunk of bytes) {
      let start = 0;
      if (header === undefined) {
        const end = recordEnd(chunk, 0);
        headerChunks.push(end === -1 ? chunk : chunk.subarray(0, end));
        if (end === -1) continue;
        header = Buffer.concat(headerChunks);
        start = end;
      }
      while (start < chunk.length) {
        file ??= await startPart();
        const room = partBytes - file.bytes;
        if (chunk.length - start < room) {
          passQuotes(chunk, start, chunk.length);
          await write(chunk, start, chunk.length);
          break;
        }
        // The part fills in this chunk: it ends with the first record that ends at or past its size.
        const full = start + Math.max(0, room - 1);
        passQuotes(chunk, start, full);
        const cut = recordEnd(chunk, full);
        if (cut === -1) {
          await write(chunk, start, chunk.length);
          break;
        }
        await write(chunk, start, cut);
        start = cut;
        yield* hand(await finishPart());
      }
    }
    if (file !== undefined) {
      const last = await finishPart();
      if (last.bytes > 0) yield* hand(last);
      else await rm(last.path, { force: true });
    }
  } finally {
    if (file !== undefined) {
      await file.handle.close().catch(() => undefined);
      await rm(file.path, { force: true });
    }
    if (previous) await rm(previous, { force: true });
  }
}
