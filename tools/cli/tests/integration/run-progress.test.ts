import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CUR_BIN, runCurBin } from '../helpers/run-cur-bin';

const exec = promisify(execFile);

/** util-linux `script`, which runs a command on a pseudo-terminal; absent on some laptops (macOS has another one). */
const hasScript = ((): boolean => {
  try {
    return execFileSync('script', ['--version'], { encoding: 'utf8' }).includes('util-linux');
  } catch {
    return false;
  }
})();

/** The shape of every plain progress line: names, counts, rates and estimates, nothing else. */
const PROGRESS_LINE =
  /^progress (mask|transform|consumption|score|mart|serving) [a-z_]+(\/\d{4}-\d{2}-\d{2})?|\d{4}-\d{2}-\d{2}: (started(, [\d,]+ rows)?|(succeeded|failed|skipped|cancelled), [\d,]+( of [\d,]+)? rows in \d+\.\d s, [\d,]+ rows\/s|[\d,]+( of [\d,]+)? rows, [\d,]+ rows\/s(, about (\d+ min )?\d+ s left)?)$/;

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

describe('cur demo progress (the real executable)', () => {
  it('prints one plain line per progress event when stderr is not a terminal: each step with rows, rows/s and an estimate, the serving load per chunk', async () => {
    // Act: 120 customers; a serving chunk size is 2,000 customers, so the load reports its customers, then its tags
    const demo = await runCurBin(['demo', '--customers', '120'], await freshHome());

    // Assess
    expect(demo.code).toBe(0);
    const lines = demo.stderr.split('\n').filter((line) => line.startsWith('progress '));
    for (const line of lines) expect(line).toMatch(PROGRESS_LINE);
    for (const dataset of ['customer_profile', 'account_balance', 'card_transaction', 'digital_activity']) {
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^progress mask ${dataset}/2026-11-25: started, [\\d,]+ rows$`)));
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^progress mask ${dataset}/2026-11-25: succeeded, ([\\d,]+) of \\1 rows in`)));
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^progress transform ${dataset}/2026-11-25: succeeded, [\\d,]+ rows in`)));
    }
    const serving = lines.filter((line) => line.startsWith('progress serving 2026-11-25: '));
    expect(serving[0]).toBe('progress serving 2026-11-25: started');
    const chunks = serving.filter((line) => / rows\/s, about /.test(line));
    // One line per chunk written: the customers, then the tag assignments; the last one has done them all.
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    const [, customers, total] = /: ([\d,]+) of ([\d,]+) rows/.exec(chunks[0] ?? '') ?? [];
    expect(customers).toBe('120');
    expect(chunks.at(-1)).toContain(`: ${total} of ${total} rows`);
    expect(serving.at(-1)).toMatch(new RegExp(`^progress serving 2026-11-25: succeeded, ${total} of ${total} rows in`));
  }, 180_000);

  it.skipIf(!hasScript)('draws cli-progress bars on a terminal (a pseudo-terminal from util-linux script) instead of the plain lines', async () => {
    const home = await freshHome();
    // 160 columns: cli-progress cuts each line at the terminal's width, and a pseudo-terminal starts at 80.
    const command = `stty cols 160; ${[process.execPath, CUR_BIN, 'demo', '--customers', '120'].map((word) => `'${word}'`).join(' ')}`;
    const { stdout } = await exec('script', ['-qfec', command, '/dev/null'], { env: { ...process.env, CUR_HOME: home }, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    // Bars are redrawn in place: cursor to column 1, the label, the bar of shade characters, the counts.
    expect(stdout).toContain('\u001b[1Gmask customer_profile/2026-11-25 ');
    expect(stdout).toMatch(/mask customer_profile\/2026-11-25 +\|[\u2588\u2591]{16}\| [\d,]+ of [\d,]+ rows \| [\d,]+ rows\/s \| /);
    expect(stdout).toMatch(/serving 2026-11-25 +\|\u2588{16}\| ([\d,]+) of \1 rows \| [\d,]+ rows\/s \| succeeded/);
    expect(stdout).not.toMatch(/^progress /m);
    // The finished steps' lines are still printed, above the bars.
    expect(stdout).toMatch(/ok\s+serving\s+2026-11-25 \d+ rows/);
  }, 180_000);
});
