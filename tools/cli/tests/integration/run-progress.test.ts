import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCurBin } from '../helpers/run-cur-bin';

const freshHome = (): Promise<string> => mkdtemp(join(tmpdir(), 'cur-progress-'));

describe('cur run and cur demo under CUR_MEMORY_LIMIT (the real executable)', () => {
  it('refuses a CUR_MEMORY_LIMIT that is not a size, naming the variable, before touching the state folder', async () => {
    const home = await freshHome();
    const run = await runCurBin(['run', '--date', '2026-11-25'], home, { CUR_MEMORY_LIMIT: 'plenty' });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('invalid CUR_MEMORY_LIMIT: expected a size with a unit, such as 4GiB, 512MiB or 2GB');
    expect(await readdir(home).catch(() => [])).not.toContain('system-scratch.lock');
  });
});
