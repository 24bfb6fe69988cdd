import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvParts, type CsvPart } from '../../../src/steps/csv-parts';

const HEADER = 'id,name,note\r\n';
/** Records with what makes cutting hard: quoted line feeds, escaped quotes, multi-byte characters, CRLF and LF. */
const RECORDS = Array.from({ length: 60 }, (_, i) =>
  i % 7 === 0 ? `${i},"王""小明""","line one\nline two"\r\n` : i % 5 === 0 ? `${i},"a, b",""""\n` : `${i},陳${'x'.repeat(i % 13)},plain\r\n`,
);
const BODY = RECORDS.join('');

/** The input's bytes in chunks of `size` bytes (cutting characters and records anywhere). */
async function* chunksOf(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/** Reads every part as it is handed over (it is deleted when the next one is asked for). */
async function collect(parts: AsyncGenerator<CsvPart>): Promise<{ part: CsvPart; text: string }[]> {
  const read: { part: CsvPart; text: string }[] = [];
  for await (const part of parts) read.push({ part, text: await readFile(part.path, 'utf8') });
  return read;
}

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'cur-csv-parts-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('csvParts', () => {
  it.each([1, 2, 3, 7, 64, 4096])('cuts between whole records only, header first in every part (chunks of %i bytes)', async (chunk) => {
    const parts = await collect(csvParts(chunksOf(HEADER + BODY, chunk), dir, 120));

    expect(parts.length).toBeGreaterThan(5);
    expect(parts.map(({ part }) => part.index)).toEqual(parts.map((_, i) => i));
    for (const { part, text } of parts) {
      expect(text.startsWith(HEADER)).toBe(true);
      const records = text.slice(HEADER.length);
      expect(Buffer.byteLength(records)).toBe(part.bytes);
      // Each part is whole records: it is a run of the input's records, start to end.
      const first = RECORDS.findIndex((record) => records.startsWith(record));
      let rest = records;
      for (let i = first; rest.length > 0; i += 1) {
        expect(rest.startsWith(RECORDS[i] ?? '\u0000')).toBe(true);
        rest = rest.slice((RECORDS[i] ?? '').length);
      }
    }
    expect(parts.map(({ text }) => text.slice(HEADER.length)).join('')).toBe(BODY);
  });

  it('ends each part with the first record that reaches its size, so a record longer than a part stays whole', async () => {
    const long = `1,"${'y'.repeat(500)}\n${'z'.repeat(10)}",end\n`;
    const parts = await collect(csvParts(chunksOf(`${HEADER}${long}2,b,c\n3,d,e\n`, 16), dir, 100));

    expect(parts.map(({ text }) => text.slice(HEADER.length))).toEqual([long, '2,b,c\n3,d,e\n']);
  });

  it('keeps a last record without a line feed, and makes no part of a header alone', async () => {
    expect((await collect(csvParts(chunksOf(`${HEADER}1,a,b\n2,c,d`, 5), dir, 1000))).map(({ text }) => text)).toEqual([`${HEADER}1,a,b\n2,c,d`]);
    expect(await collect(csvParts(chunksOf(HEADER, 5), dir, 1000))).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('deletes each part when the next is asked for, and the current one when the caller stops or fails', async () => {
    const onDisk: string[][] = [];
    for await (const _part of csvParts(chunksOf(HEADER + BODY, 50), dir, 200)) onDisk.push(await readdir(dir));
    expect(onDisk.every((names) => names.length === 1)).toBe(true);
    expect(await readdir(dir)).toEqual([]);

    for await (const _part of csvParts(chunksOf(HEADER + BODY, 50), dir, 200)) break;
    expect(await readdir(dir)).toEqual([]);

    async function* failing(): AsyncGenerator<Buffer> {
      yield* chunksOf(HEADER + BODY.slice(0, 500), 50);
      throw new Error('read failed');
    }
    await expect(collect(csvParts(failing(), dir, 200))).rejects.toThrow('read failed');
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a part size that is not positive', async () => {
    await expect(collect(csvParts(chunksOf(HEADER, 4), dir, 0))).rejects.toThrow(/partBytes must be positive/);
  });
});
