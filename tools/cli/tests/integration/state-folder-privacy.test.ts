import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCurBin as cur } from '../helpers/run-cur-bin';

/** Every file and folder under `root` (itself included) that group or others can use at all, with its mode. */
async function reachableByOthers(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  const found: string[] = [];
  for (const path of [root, ...entries.map((entry) => join(entry.parentPath, entry.name))]) {
    const { mode } = await stat(path);
    if ((mode & 0o077) !== 0) found.push(`${relative(root, path) || '.'} ${(mode & 0o777).toString(8)}`);
  }
  return found;
}

/** Every file (not folder) under `dir`. */
async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

/** Writes a file and its folders owner-only, as the test's own setup must not be what the walk finds. */
async function plant(path: string, text: string): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
  await writeFile(path, text, { mode: 0o600 });
}

// The most permissive umask for the whole file: every mode checked below must be set by the platform itself.
let previousUmask: number;
let home: string;
const stale = { pipelineCopy: '', demoExtract: '', spill: '' };
let demo: { stdout: string; stderr: string; code: number };
let sweep: { stdout: string; stderr: string; code: number };

beforeAll(async () => {
  previousUmask = process.umask(0);
  // Prepare: a state folder where a killed run left plaintext in the SYSTEM scratch area
  home = join(await mkdtemp(join(tmpdir(), 'cur-privacy-')), '.cur');
  const scratch = join(home, 'system-scratch');
  stale.pipelineCopy = join(scratch, 'pipeline', 'mask-killed', 'batch.csv');
  stale.demoExtract = join(scratch, 'demo-extracts', 'customer_profile_20261125.csv');
  stale.spill = join(scratch, 'duckdb-spill', 'duckdb_temp_storage_DEFAULT-0.tmp');
  for (const path of Object.values(stale)) await plant(path, 'cust_id,cust_name\r\nA123456789,王小明\r\n');

  // Act: the main job, then a bad batch through the scheduled landing sweep so that quarantine holds files too
  demo = await cur(['demo', '--customers', '300'], home);
  const csv = 'cust_id,cust_name\r\nA123456789,王小明\r\n';
  const landing = join(home, 'lake', 'landing', 'incoming', 'customer_profile');
  await plant(join(landing, 'customer_profile_20261202.csv'), csv);
  await plant(
    join(landing, 'customer_profile_20261202.ctl'),
    JSON.stringify({ dataset: 'customer_profile', businessDate: '2026-12-02', file: 'customer_profile_20261202.csv', rowCount: 5, sha256: createHash('sha256').update(csv).digest('hex'), encoding: 'utf-8', schemaVersion: 1 }),
  );
  sweep = await cur(['ingest', 'sweep'], home);
}, 180_000);
afterAll(() => {
  process.umask(previousUmask);
});

describe('the state folder after a real run, under umask 000', () => {
  it('ran the demo and quarantined the bad batch', async () => {
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toContain('role DE: succeeded');
    expect(sweep.stdout + sweep.stderr).toMatch(/quarantined/);
    expect((await filesUnder(join(home, 'lake', 'quarantine'))).length).toBeGreaterThan(0);
  });

  it('holds no file or folder that group or others can read: files 0600, folders 0700', async () => {
    expect(await reachableByOthers(home)).toEqual([]);
  });

  it('keeps no plaintext extract: the demo deleted its extracts once pushed', async () => {
    expect(existsSync(join(home, 'extracts'))).toBe(false);
    expect(demo.stderr).toContain('deleted the plaintext extracts once pushed');
  });

  it('swept the SYSTEM scratch area at the start of the run: what a killed run left there is gone, and the run left nothing', async () => {
    for (const path of Object.values(stale)) expect(existsSync(path), path).toBe(false);
    expect(await filesUnder(join(home, 'system-scratch'))).toEqual([]);
  });
});

describe('cur demo --keep-plaintext-extracts', () => {
  it('is documented in --help as keeping plaintext', async () => {
    const help = await cur(['demo', '--help'], home);
    expect(help.stdout).toMatch(/--keep-plaintext-extracts\s+keep the generated extracts, which are PLAINTEXT/);
  });

  it('keeps the extracts only when asked, owner-only, and the next demo without it deletes them', async () => {
    const kept = await cur(['demo', '--customers', '300', '--keep-plaintext-extracts'], home);
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stderr).toContain('kept the plaintext extracts in');
    const files = await filesUnder(join(home, 'extracts'));
    expect(files).toEqual(expect.arrayContaining(['customer_profile_20261125.csv', 'customer_profile_20261125.ctl']));
    expect(await reachableByOthers(home)).toEqual([]);

    const notKept = await cur(['demo', '--customers', '300'], home);
    expect(notKept.code, notKept.stderr).toBe(0);
    expect(existsSync(join(home, 'extracts'))).toBe(false);
  });
});
