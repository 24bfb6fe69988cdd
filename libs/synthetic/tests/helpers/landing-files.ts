import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { ControlFileSchema, type ControlFile } from '@cur/contracts';
import type { LandingSink } from '../../src/index';
import { parseCsv } from './csv-parser';

/** A landing batch read back from disk, independently of the generator. */
export interface ReadBatch {
  readonly control: ControlFile;
  /** The data file's bytes as stored. */
  readonly stored: Buffer;
  /** The data file's bytes after gunzip (equal to `stored` when not gzipped). */
  readonly plain: Buffer;
  readonly text: string;
  readonly header: string[];
  readonly rows: string[][];
  /** SHA-256 of `stored`, recomputed. */
  readonly sha256: string;
}

/** Creates a temp folder; `cleanup` removes it. */
export async function tempFolder(prefix = 'cur-synthetic-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Reads a control file (validated by the contract's schema) and its data file. */
export async function readBatch(dir: string, controlFile: string): Promise<ReadBatch> {
  const control = ControlFileSchema.parse(JSON.parse(await readFile(join(dir, controlFile), 'utf8')));
  const stored = await readFile(join(dir, control.file));
  const plain = control.file.endsWith('.gz') ? gunzipSync(stored) : stored;
  const text = control.encoding === 'big5' ? iconv.decode(plain, 'cp950') : new TextDecoder('utf-8', { fatal: true }).decode(plain);
  const [header = [], ...rows] = parseCsv(text);
  return { control, stored, plain, text, header, rows, sha256: createHash('sha256').update(stored).digest('hex') };
}

/** The names of the files in a folder, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

/** A sink that keeps files in memory and notes each write (name and chunk count) in order. */
export function memorySink(): LandingSink & { files: Map<string, Buffer>; writes: { fileName: string; chunks: number }[] } {
  const files = new Map<string, Buffer>();
  const writes: { fileName: string; chunks: number }[] = [];
  return {
    files,
    writes,
    async write(fileName, chunks) {
      const parts: Uint8Array[] = [];
      for await (const chunk of chunks) parts.push(chunk);
      files.set(fileName, Buffer.concat(parts));
      writes.push({ fileName, chunks: parts.length });
    },
  };
}
