import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCurBin, startCur } from '../helpers/run-cur-bin';

/**
 * Issue 17, point 2: Ctrl-C (SIGINT) and SIGTERM stop a long command at a safe point, release the serving load's
 * lease, log the run as cancelled, say how to resume, and exit 130 / 143; a second Ctrl-C exits at once. These
 * signal the real executable, as a terminal or a scheduler would.
 */


/** The run logs of a state folder, oldest first. */
async function runLogs(home: string): Promise<{ runId: string; status: string; steps: { step: string; status: string }[] }[]> {
  const dir = join(home, 'lake', 'system', 'runs');
  const names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  return Promise.all(names.map(async (name) => JSON.parse(await readFile(join(dir, name), 'utf8')) as { runId: string; status: string; steps: { step: string; status: string }[] }));
}

let extracts: string;

beforeAll(async () => {
  extracts = await mkdtemp(join(tmpdir(), 'cur-int-extracts-'));
  const generated = await runCurBin(['generate', '-n', '1500', '-d', '1', '-s', '7', '-o', extracts], await mkdtemp(join(tmpdir(), 'cur-int-gen-')));
  expect(generated.code, generated.stderr).toBe(0);
}, 120_000);

/** A state folder with the generated batches pushed and ingested, ready for `cur run`. */
async function ingestedHome(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'cur-int-'));
  const pushed = await runCurBin(['ingest', 'push', extracts], home);
  expect(pushed.code, pushed.stderr).toBe(0);
  return home;
}

describe('Ctrl-C and SIGTERM (the real executable)', () => {
  it('cur run: Ctrl-C after the first step stops at a safe point, exits 130, logs cancelled; the resume command finishes without a lease conflict', async () => {
    // Prepare
    const home = await ingestedHome();
    const run = startCur(['run'], home);

    // Act: Ctrl-C once the first step has finished.
    await run.waitFor(/^ {2}ok {7}mask/m);
    run.kill('SIGINT');
    const { code } = await run.exited;

    // Assess
    expect(code, run.output()).toBe(130);
    expect(run.output()).toContain('Ctrl-C: stopping at the next safe point');
    expect(run.output()).toMatch(/run \S+: cancelled/);
    expect(run.output()).toContain('resume with: npx cur run --date 2026-11-25');
    const [log] = await runLogs(home);
    expect(log?.status).toBe('cancelled');

    // The printed resume command finishes the job: no SERVING_LOAD_CONFLICT, the serving store loaded.
    const resumed = await runCurBin(['run', '--date', '2026-11-25'], home);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).not.toContain('SERVING_LOAD_CONFLICT');
    expect(resumed.stderr).toMatch(/ok {7}serving {5}2026-11-25 \d+ rows/);
    expect((await runLogs(home)).map((entry) => entry.status)).toEqual(['cancelled', 'succeeded']);
  }, 240_000);

  it('cur demo: SIGTERM during the pipeline exits 143 and says to run the demo again, which then succeeds', async () => {
    const home = await mkdtemp(join(tmpdir(), 'cur-int-demo-'));
    const demo = startCur(['demo', '--customers', '1500'], home);
    await demo.waitFor(/^ {2}ok {7}mask/m);
    demo.kill('SIGTERM');
    const { code } = await demo.exited;
    expect(code, demo.output()).toBe(143);
    expect(demo.output()).toContain('resume with: npx cur demo');
    expect((await runLogs(home)).map((entry) => entry.status)).toEqual(['cancelled']);
    // The plaintext extracts went even so.
    expect(await readdir(join(home, 'system-scratch', 'demo-extracts')).catch(() => [])).toEqual([]);

    const again = await runCurBin(['demo', '--customers', '1500'], home);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('role DE: succeeded');
  }, 240_000);

  it('a second Ctrl-C exits at once, without waiting for a safe point', async () => {
    const home = await ingestedHome();
    const run = startCur(['run'], home);
    await run.waitFor(/^ {2}ok {7}mask/m);
    run.kill('SIGINT');
    await run.waitFor(/stopping at the next safe point/);
    run.kill('SIGINT');
    const { code } = await run.exited;
    expect(code).toBe(130);
    expect(run.output()).toContain('SIGINT again: exiting at once');
  }, 240_000);

  it('cur schedule: Ctrl-C while it waits for the next run exits 130', async () => {
    const schedule = startCur(['schedule', '--cron', '0 0 1 1 *'], await mkdtemp(join(tmpdir(), 'cur-int-schedule-')));
    await schedule.waitFor(/Ctrl-C to stop/);
    schedule.kill('SIGINT');
    const { code } = await schedule.exited;
    expect(code, schedule.output()).toBe(130);
    expect(schedule.output()).toContain('schedule stopped');
  }, 60_000);
});
