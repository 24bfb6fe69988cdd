import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const BENCH = fileURLToPath(new URL('../../src/pipeline-bench.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../../node_modules/tsx/dist/cli.mjs', import.meta.url));

/** Runs the real `bench:pipeline` script as npm does (tsx), returning what it printed and its exit code. */
async function runBench(args: readonly string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [TSX, BENCH, ...args], { encoding: 'utf8' });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

describe('bench:pipeline command line', () => {
  it('refuses a mask concurrency below 1 before generating anything, naming the flag, with exit code 2', async () => {
    // Act
    const run = await runBench(['--mask-concurrency', '0']);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--mask-concurrency 0: expected a whole number of at least 1');
    expect(run.stderr).not.toContain('needs about');
  });

  it('explains --mask-concurrency and its default in --help', async () => {
    // Act
    const run = await runBench(['--help']);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--mask-concurrency N\s+mask steps side by side \(default 2, as cur run\)/);
  });
});
