import { spawn } from 'node:child_process';
import { chmod, chown, mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUR_BIN, runCurBin, type CurBinRun } from '../helpers/run-cur-bin';

/**
 * Issue 17, point 5: a read-only state folder gave EACCES on a lock file even for `cur status`. Read-only commands
 * that need no DynamoDB work; one that needs it and finds nobody serving it fails with a coded message naming the
 * folder. Root ignores file modes, so as root the folder is handed to `nobody` and the executable runs as `nobody`.
 */

const NOBODY = 65_534;
const asRoot = process.getuid?.() === 0;
let home: string;

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return [dir, ...entries.map((entry) => join(entry.parentPath, entry.name))];
}

async function setWritable(writable: boolean): Promise<void> {
  for (const path of await walk(home)) {
    if (asRoot) await chown(path, writable ? 0 : NOBODY, writable ? 0 : NOBODY);
    const isDir = (await stat(path)).isDirectory();
    await chmod(path, writable ? (isDir ? 0o700 : 0o600) : isDir ? 0o500 : 0o400);
  }
}

function runReadOnly(args: readonly string[]): Promise<CurBinRun> {
  const child = spawn(process.execPath, [CUR_BIN, ...args], {
    env: { ...process.env, CUR_HOME: home, HOME: tmpdir() },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.on('close', (code) => resolve({ stdout, stderr, code: code ?? -1 })));
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cur-readonly-'));
  const demo = await runCurBin(['demo', '--customers', '60'], home);
  expect(demo.code, demo.stderr).toBe(0);
  await setWritable(false);
}, 240_000);

afterAll(async () => {
  await setWritable(true);
});

describe('a read-only state folder (issue 17, point 5)', () => {
  it('cur status and cur query work: neither needs a lock file', async () => {
    // Act
    const [status, query] = await Promise.all([runReadOnly(['status']), runReadOnly(['query', 'SELECT count(*) AS n FROM raw.customer_profile'])]);

    // Assess
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/raw\s+\d+/);
    expect(status.stderr).not.toContain('EACCES');
    expect(query.code, query.stderr).toBe(0);
    expect(query.stdout).toMatch(/^\d+$/m);
  }, 120_000);

  it('a command that needs the local DynamoDB, with nobody serving it, exits 1 with STATE_FOLDER_READ_ONLY naming the folder', async () => {
    // Act
    const ingest = await runReadOnly(['ingest', 'status']);

    // Assess
    expect(ingest.code).toBe(1);
    expect(ingest.stderr).toContain(`the state folder's DynamoDB data in ${join(home, 'dynamodb')} cannot be written`);
    expect(ingest.stderr).toContain('[STATE_FOLDER_READ_ONLY]');
  }, 120_000);
});
