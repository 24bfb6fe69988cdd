import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { ByteMeter, encodeChunks, gzipChunks } from '../../../src/encode/byte-chunks';

async function collect(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

describe('Function: encodeChunks', () => {
  it('writes UTF-8 without a BOM and Big5 as CP950', async () => {
    const text = ['陳志明,臺北市', '１２號\r\n'];
    expect((await collect(encodeChunks(text, 'utf-8'))).toString('utf8')).toBe(text.join(''));
    const big5 = await collect(encodeChunks(text, 'big5'));
    expect(big5.equals(iconv.encode(text.join(''), 'cp950'))).toBe(true);
    expect(iconv.decode(big5, 'cp950')).toBe(text.join(''));
  });
});

describe('Function: gzipChunks', () => {
  it('gives one gzip stream of all chunks, the same bytes every time', async () => {
    const chunks = (): Uint8Array[] => Array.from({ length: 50 }, (_, i) => Buffer.from(`row ${i},臺北市\r\n`.repeat(200)));
    const first = await collect(gzipChunks(chunks()));
    const second = await collect(gzipChunks(chunks()));
    expect(first.equals(second)).toBe(true);
    expect(gunzipSync(first).equals(Buffer.concat(chunks()))).toBe(true);
  });
});

describe('Class: ByteMeter', () => {
  it('counts and hashes what passes through, and knows when the source ended', async () => {
    const meter = new ByteMeter();
    const data = [Buffer.from('abc'), Buffer.from('defg')];
    expect((await collect(meter.measure(data))).toString()).toBe('abcdefg');
    expect(meter.complete).toBe(true);
    expect(meter.bytes).toBe(7);
    expect(meter.digest()).toBe(createHash('sha256').update('abcdefg').digest('hex'));
  });

  it('tells a source failure from a sink failure', async () => {
    const meter = new ByteMeter();
    const failure = new Error('source broke');
    function* failing(): Generator<Uint8Array> {
      yield Buffer.from('a');
      throw failure;
    }
    await expect(collect(meter.measure(failing()))).rejects.toBe(failure);
    expect(meter.isSourceError(failure)).toBe(true);
    expect(meter.isSourceError(new Error('other'))).toBe(false);
    expect(meter.complete).toBe(false);
  });
});
