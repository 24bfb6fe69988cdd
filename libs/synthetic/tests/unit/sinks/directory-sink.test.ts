import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeToDirectory } from '../../../src/index';
import { tempFolder } from '../../helpers/landing-files';

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield Buffer.from(part);
}

describe('Function: writeToDirectory', () => {
  let folder: { dir: string; cleanup: () => Promise<void> };
  beforeEach(async () => {
    folder = await tempFolder();
  });
  afterEach(async () => {
    await folder.cleanup();
  });

  it('creates the folder and writes the file from its chunks', async () => {
    const dir = join(folder.dir, 'landing', 'nested');
    await writeToDirectory(dir).write('a_20261125.csv', chunks('x,y\r\n', '1,2\r\n'));
    expect(await readFile(join(dir, 'a_20261125.csv'), 'utf8')).toBe('x,y\r\n1,2\r\n');
    expect(await readdir(dir)).toEqual(['a_20261125.csv']);
  });

  it('leaves neither the file nor a partial file when the chunks fail', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('half');
      throw new Error('generator failed');
    }
    await expect(writeToDirectory(folder.dir).write('a_20261125.csv', failing())).rejects.toThrow('generator failed');
    expect(await readdir(folder.dir)).toEqual([]);
  });

  it('writes the extracts owner-only (files 0600, a folder it creates 0700) even under the most permissive umask: they are plaintext', async () => {
    const previous = process.umask(0);
    try {
      const dir = join(folder.dir, 'extracts');
      await writeToDirectory(dir).write('a_20261125.csv', chunks('cust_id\r\nA123456789\r\n'));
      expect((await stat(join(dir, 'a_20261125.csv'))).mode & 0o777).toBe(0o600);
      expect((await stat(dir)).mode & 0o777).toBe(0o700);
    } finally {
      process.umask(previous);
    }
  });

  it.each(['../escape.csv', 'sub/a.csv', '.hidden'])('refuses the file name %s', async (name) => {
    await expect(writeToDirectory(folder.dir).write(name, chunks('x'))).rejects.toThrow(RangeError);
  });
});
