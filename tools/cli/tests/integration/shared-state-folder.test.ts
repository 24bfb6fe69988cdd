import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli';
import { runCurBin, startCur, type RunningCur } from '../helpers/run-cur-bin';

/**
 * Issue 17, point 4: one state folder, several `cur` commands at once. The README's own advice is `npx cur serve &`;
 * beside it a user runs the pipeline, `status` and `query`. The first process that needs the folder's DynamoDB
 * serves it on loopback and the others connect (the port and token in `dynamodb.lock`); when the serving process
 * goes, killed or done, the next request of any other takes over. These spawn the real executable.
 */

const DATE = '2026-11-25';
let home: string;
const running: RunningCur[] = [];

async function serve(): Promise<{ process: RunningCur; url: string }> {
  const process = startCur(['serve', '--port', '0'], home);
  running.push(process);
  await process.waitFor(/retrieval API on http:\/\/\S+/);
  const url = /retrieval API on (http:\/\/\S+)/.exec(process.output())?.[1] ?? '';
  return { process, url };
}

async function tagsThrough(url: string): Promise<number> {
  const token = (await runCurBin(['--role', 'DA', 'token'], home)).stdout.trim();
  const response = await fetch(`${url}/v1/tags`, { headers: { authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  return response.status;
}

async function lockHolder(): Promise<number> {
  return (JSON.parse(await readFile(join(home, 'dynamodb.lock'), 'utf8')) as { pid: number }).pid;
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cur-shared-'));
  const demo = await runCurBin(['demo', '--customers', '120'], home);
  expect(demo.code, demo.stderr).toBe(0);
}, 240_000);

afterAll(async () => {
  for (const process of running) {
    process.kill('SIGKILL');
    await process.exited;
  }
});

describe('cur serve beside other commands on one state folder (issue 17, point 4)', () => {
  it('cur run, cur status, cur query and cur ingest status succeed while cur serve runs, and serve keeps answering', async () => {
    // Prepare
    const server = await serve();

    // Act: all at once, beside the serving process.
    const [run, status, query, ingest] = await Promise.all([
      runCurBin(['run', '--date', DATE], home),
      runCurBin(['status'], home),
      runCurBin(['query', 'SELECT count(*) AS n FROM consumption.customer_tags'], home),
      runCurBin(['ingest', 'status'], home),
    ]);

    // Assess
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/: succeeded/);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('consumption');
    expect(query.code, query.stderr).toBe(0);
    expect(query.stdout).toMatch(/^\d+$/m);
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(ingest.stdout).toContain('customer_profile/2026-11-25');
    expect(await tagsThrough(server.url)).toBe(200);
    expect(await lockHolder()).toBe(server.process.pid);

    // Act: the serving process is killed outright; its lock file stays behind.
    server.process.kill('SIGKILL');
    await server.process.exited;
    const after = await Promise.all([runCurBin(['ingest', 'status'], home), runCurBin(['run', '--date', DATE], home)]);

    // Assess: the next commands take the folder over.
    for (const result of after) expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(after[0].stdout).toContain('customer_profile/2026-11-25');
  }, 240_000);

  it('a cur serve that connected to another one keeps answering when that one is killed, and takes the folder over', async () => {
    // Prepare: the first serve holds the folder, the second connects to it.
    const first = await serve();
    const second = await serve();
    expect(await lockHolder()).toBe(first.process.pid);
    expect(await tagsThrough(second.url)).toBe(200);

    // Act
    first.process.kill('SIGKILL');
    await first.process.exited;

    // Assess
    expect(await tagsThrough(second.url)).toBe(200);
    expect(await lockHolder()).toBe(second.process.pid);
    const status = await runCurBin(['ingest', 'status'], home);
    expect(status.code, status.stderr).toBe(0);
  }, 240_000);

  it('a pipeline run is refused with SCRATCH_AREA_BUSY while another live process uses the scratch area, and takes over a dead one\'s', async () => {
    // Prepare: this test process stands in for a cur run under way (a live PID in the scratch area's lock file).
    const lock = join(home, 'system-scratch.lock');
    await writeFile(lock, JSON.stringify({ pid: process.pid }), { mode: 0o600 });

    // Act
    const refused = await runCurBin(['run', '--date', DATE], home);
    await writeFile(lock, JSON.stringify({ pid: 2147483646 }), { mode: 0o600 });
    const afterDeath = await runCurBin(['run', '--date', DATE], home);

    // Assess
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`cur process ${process.pid} is running the pipeline on this state folder`);
    expect(refused.stderr).toContain('[SCRATCH_AREA_BUSY]');
    expect(afterDeath.code, afterDeath.stderr).toBe(0);
    await expect(readFile(lock)).rejects.toMatchObject({ code: 'ENOENT' });
  }, 240_000);

  it('lets go of the scratch area when the command\'s runtime closes, not only at exit (cur schedule between runs)', async () => {
    // Act: in this process, which goes on living after the command, as cur schedule does between its runs.
    const fresh = await mkdtemp(join(tmpdir(), 'cur-scratch-release-'));
    const run = await runCli(['run'], { CUR_HOME: fresh });

    // Assess
    expect(run.code, run.stderr).toBe(0);
    await expect(readFile(join(fresh, 'system-scratch.lock'))).rejects.toMatchObject({ code: 'ENOENT' });
  }, 120_000);
});
