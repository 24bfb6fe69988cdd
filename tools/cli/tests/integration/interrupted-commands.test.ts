import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CancelledError } from '@cur/platform';
import { main } from '../../src/main';
import type { Output } from '../../src/output/console-output';
import { EXIT_CODES } from '../../src/process/exit-codes';
import type { Interrupts } from '../../src/process/interrupts';
import { runCli } from '../helpers/run-cli';

/** Interrupts whose signal has already fired, as if Ctrl-C came the moment the command started listening. */
function alreadyInterrupted(signal: 'SIGINT' | 'SIGTERM'): Interrupts {
  const controller = new AbortController();
  controller.abort(new CancelledError(`stopped by ${signal}`));
  return { signal: controller.signal, exitCode: signal === 'SIGINT' ? EXIT_CODES.INTERRUPTED : EXIT_CODES.TERMINATED, dispose: () => undefined };
}

async function runInterrupted(args: readonly string[], home: string, signal: 'SIGINT' | 'SIGTERM'): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const output: Output = { line: (text = '') => lines.push(text), info: (text) => lines.push(text), error: (text) => lines.push(`error: ${text}`) };
  const code = await main(['node', 'cur', ...args], output, { CUR_HOME: home }, { interrupts: alreadyInterrupted(signal) });
  return { code, text: lines.join('\n') };
}

describe('long commands stopped by a signal (issue 17, point 2)', () => {
  it('cur ingest push sends no batch after Ctrl-C, exits 130 and says how to resume', async () => {
    // Prepare
    const home = await mkdtemp(join(tmpdir(), 'cur-intr-'));
    const extracts = await mkdtemp(join(tmpdir(), 'cur-intr-extracts-'));
    expect((await runCli(['generate', '-n', '30', '-o', extracts], { CUR_HOME: home })).code).toBe(0);

    // Act
    const push = await runInterrupted(['ingest', 'push', extracts], home, 'SIGINT');

    // Assess
    expect(push.code).toBe(130);
    expect(push.text).toContain(`resume with: npx cur ingest push ${extracts}`);
    expect((await runCli(['ingest', 'status'], { CUR_HOME: home })).stdout).toContain('no batches yet');
  });

  it('cur serve --load stops before taking the lease on SIGTERM, exits 143 and says how to resume', async () => {
    const serve = await runInterrupted(['serve', '--port', '0', '--load'], await mkdtemp(join(tmpdir(), 'cur-intr-')), 'SIGTERM');
    // Nothing is published in a fresh state folder, so the load would fail; the stop comes first.
    expect(serve.code).toBe(143);
    expect(serve.text).toContain('resume with: npx cur serve --load');
    expect(serve.text).not.toContain('SERVING_INPUT_MISSING');
  });

  it('cur run with nothing to do is not "cancelled": nothing was cut', async () => {
    const run = await runInterrupted(['run'], await mkdtemp(join(tmpdir(), 'cur-intr-')), 'SIGINT');
    expect(run.code).toBe(0);
    expect(run.text).toMatch(/run \S+: succeeded/);
  });
});
