import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { landingCsvBytes, maskStagingFor, rowsPerRawFileFor, stageInMemoryLimit } from '../../../src/index';

describe('landingCsvBytes', () => {
  it('is a plain file size, and the uncompressed size of a gzip file from its trailer', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cur-csv-bytes-'));
    const csv = Buffer.from('txn_id,amount\n'.concat('T1,100\n'.repeat(10_000)));
    await writeFile(join(dir, 'a.csv'), csv);
    await writeFile(join(dir, 'a.csv.gz'), gzipSync(csv));

    expect(await landingCsvBytes(join(dir, 'a.csv'), false)).toBe(csv.length);
    expect(await landingCsvBytes(join(dir, 'a.csv.gz'), true)).toBe(csv.length);
  });

  it('is unbounded for a file it cannot read, so such a batch is staged in a file', async () => {
    expect(await landingCsvBytes(join(tmpdir(), 'cur-no-such-file.csv.gz'), true)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('stageInMemoryLimit', () => {
  it('is 30% of the engine memory limit from 2GiB up', () => {
    expect(stageInMemoryLimit(4 * 2 ** 30)).toBe(Math.floor(4 * 2 ** 30 * 0.3));
    expect(stageInMemoryLimit(2 * 2 ** 30)).toBe(Math.floor(2 * 2 ** 30 * 0.3));
  });

  it('is 0 under 2GiB: every batch is staged in a compressed file, which spills where an in-memory table ran out', () => {
    expect(stageInMemoryLimit(2 * 2 ** 30 - 1)).toBe(0);
    expect(stageInMemoryLimit(512 * 2 ** 20)).toBe(0);
  });
});

describe('maskStagingFor', () => {
  it('pieces a file-staged batch in 4M rows from about 610MiB up, fewer below (1M rows at 160MiB, where 2.5M ran out)', () => {
    expect(maskStagingFor(4 * 2 ** 30)).toEqual({ stageInMemoryUpToBytes: Math.floor(4 * 2 ** 30 * 0.3), rowsPerRawFile: 4_000_000 });
    expect(maskStagingFor(1 * 2 ** 30)).toEqual({ stageInMemoryUpToBytes: 0, rowsPerRawFile: 4_000_000 });
    expect(rowsPerRawFileFor(160 * 2 ** 20)).toBe(1_048_576);
    expect(rowsPerRawFileFor(128 * 2 ** 20)).toBe(838_860);
  });

  it('stages in a file, in 4M-row pieces, when no limit is given', () => {
    expect(maskStagingFor(undefined)).toEqual({ stageInMemoryUpToBytes: 0 });
  });
});
