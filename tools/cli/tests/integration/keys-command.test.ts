import { mkdir, mkdtemp, readFile, readdir, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli';

const groupsOf = async (env: NodeJS.ProcessEnv): Promise<string[]> => (JSON.parse((await runCli(['keys', 'list', '--json'], env)).stdout || '[]') as { keyGroup: string }[]).map((key) => key.keyGroup);

describe('cur keys rotate', () => {
  it.each([['evil/../x'], ['evil'], ['national_id.old'], ['../../keys/master']])('refuses %s, a key group the policy does not define, and creates nothing', async (name) => {
    const env = { CUR_HOME: await mkdtemp(join(tmpdir(), 'cur-keys-name-')) };

    for (const role of ['DM', 'SYSTEM']) {
      const refused = await runCli(['--role', role, 'keys', 'rotate', name], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('[KEY_GROUP_UNKNOWN]');
      expect(refused.stderr).toContain('national_id');
      expect(refused.stderr).not.toContain('evil');
    }
    expect(await groupsOf(env)).toEqual([]);
  });

  it('refuses a bare rotation of national_id, naming the flag that re-tokenises, and leaves the version as it was', async () => {
    const env = { CUR_HOME: await mkdtemp(join(tmpdir(), 'cur-keys-join-')) };
    expect((await runCli(['--role', 'SYSTEM', 'mask', '-d', 'customer_profile', '-c', 'cust_id', 'A123456789'], env)).code).toBe(0);

    const refused = await runCli(['--role', 'DM', 'keys', 'rotate', 'national_id'], env);

    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('[ROTATION_BREAKS_JOINS]');
    expect(refused.stderr).toContain('cur --role SYSTEM keys rotate national_id --retokenize');
    const list = JSON.parse((await runCli(['keys', 'list', '--json'], env)).stdout) as { keyGroup: string; version: number }[];
    expect(list.filter((key) => key.keyGroup === 'national_id').map((key) => key.version)).toEqual([1]);
    const byDm = await runCli(['--role', 'DM', 'keys', 'rotate', 'national_id', '--retokenize'], env);
    expect(byDm.code).toBe(1);
    expect(byDm.stderr).toContain('[ACCESS_DENIED]');
  });

  it('rotates national_id with --retokenize as SYSTEM: every published raw partition moves to the new version, then the dates are rebuilt', async () => {
    // Prepare: one business date ingested and run under version 1, the next one held back
    const home = await mkdtemp(join(tmpdir(), 'cur-keys-retokenize-'));
    const env = { CUR_HOME: home };
    const extracts = join(home, 'extracts-in-test');
    expect((await runCli(['generate', '-n', '60', '-d', '2', '-s', '5', '-o', extracts], env)).code).toBe(0);
    const later = join(extracts, 'later');
    await mkdir(later);
    const dates = [...new Set((await readdir(extracts)).map((name) => /_(\d{8})\.ctl$/.exec(name)?.[1]).filter((date): date is string => date !== undefined))].sort();
    for (const name of await readdir(extracts)) if (name.includes(dates[1] ?? '-')) await rename(join(extracts, name), join(later, name));
    expect((await runCli(['ingest', 'push', extracts], env)).code).toBe(0);
    expect((await runCli(['run'], env)).code).toBe(0);

    // Act
    const rotated = await runCli(['--role', 'SYSTEM', 'keys', 'rotate', 'national_id', '--retokenize'], env);

    // Assess
    expect(rotated.code, rotated.stderr).toBe(0);
    const day1 = `${dates[0]?.slice(0, 4)}-${dates[0]?.slice(4, 6)}-${dates[0]?.slice(6)}`;
    expect(rotated.stdout).toContain(`key group national_id now uses version 2: 4 raw partition(s) re-tokenised, downstream rebuilt for ${day1}`);
    expect(rotated.stderr).toContain(`retokenize  customer_profile/${day1}`);
    expect(rotated.stderr).toMatch(/ok\s+consumption/);
    for (const zone of ['raw', 'transformed']) {
      const manifest = JSON.parse(await readFile(join(home, 'lake', 'system', 'manifests', zone, 'card_transaction', `business_date=${day1}.json`), 'utf8')) as { keyVersions: Record<string, number> };
      expect(manifest.keyVersions['cust_id'], zone).toBe(2);
    }
    expect((await runCli(['ingest', 'push', later], env)).code).toBe(0);
    expect((await runCli(['run'], env)).code).toBe(0);
  }, 180_000);
});
