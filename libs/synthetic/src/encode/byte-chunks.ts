import { createHash, type Hash } from 'node:crypto';
import { Readable, pipeline } from 'node:stream';
import { createGzip } from 'node:zlib';
import iconv from 'iconv-lite';
import type { LandingEncoding } from '@cur/contracts';
import { GZIP_LEVEL } from '../constants';

/**
 * Encodes text chunks: UTF-8 (no BOM), or Big5 as Taiwanese banks write it, i.e. CP950 (MS950).
 * @internal
 */
export function* encodeChunks(text: Iterable<string>, encoding: LandingEncoding): Generator<Uint8Array> {
  for (const chunk of text) {
    yield encoding === 'big5' ? iconv.encode(chunk, 'cp950') : Buffer.from(chunk, 'utf8');
  }
}

/**
 * Gzips a stream of chunks as one gzip member (no file name, no timestamp). Compression runs on the libuv thread
 * pool while the caller generates the next chunks.
 * @internal
 */
export function gzipChunks(chunks: Iterable<Uint8Array>): AsyncIterable<Uint8Array> {
  return pipeline(Readable.from(chunks), createGzip({ level: GZIP_LEVEL }), () => undefined) as AsyncIterable<Uint8Array>;
}

/**
 * Counts and hashes bytes on their way to the sink, and notes whether the sink read them to the end.
 * @internal
 */
export class ByteMeter {
  readonly #hash: Hash = createHash('sha256');
  #bytes = 0;
  #complete = false;
  #sourceError: unknown;

  /** Bytes seen so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** True once the source has been read to its end. */
  get complete(): boolean {
    return this.#complete;
  }

  /** True when `error` was thrown by the source rather than by the sink. */
  isSourceError(error: unknown): boolean {
    return this.#sourceError !== undefined && error === this.#sourceError;
  }

  /** The lower-case hex SHA-256 of the bytes seen; call once, after the source completed. */
  digest(): string {
    return this.#hash.digest('hex');
  }

  /** Passes `source` through, measuring it. */
  async *measure(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of source) {
        this.#hash.update(chunk);
        this.#bytes += chunk.byteLength;
        yield chunk;
      }
    } catch (error) {
      this.#sourceError = error;
      throw error;
    }
    this.#complete = true;
  }
}
