import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '@cur/masking';
import { loadPlatformConfig } from '@cur/platform';
import { createRuntime } from '@cur/runtime';
import { runCli } from '../helpers/run-cli';
import { osUser } from '../../src/cli-caller';

describe('cur mask / unmask / keys', () => {
  it('prints the token the pipeline writes, reverses it for SYSTEM, and refuses and audits every other role', async () => {
    const env = { CUR_HOME: await mkdtemp(join(tmpdir(), 'cur-mask-')) };
    const masked = await runCli(['--role', 'SYSTEM', 'mask', '--dataset', 'customer_profile', '--column', 'cust_id', 'A123456789'], env);
    expect(masked.code, masked.stderr).toBe(0);
    const token = masked.stdout.trim();
    expect(token).toMatch(/^[A-Z][1289]\d{8}$/);
    expect(masked.stderr).toContain('key version 1');

    const again = await runCli(['--role', 'SYSTEM', 'mask', '-d', 'customer_profile', '-c', 'cust_id', 'A123456789'], env);
    expect(again.stdout.trim()).toBe(token);

    const revealed = await runCli(['--role', 'SYSTEM', 'unmask', '-d', 'customer_profile', '-c', 'cust_id', '-k', '1', token], env);
    expect(revealed.code, revealed.stderr).toBe(0);
    expect(revealed.stdout.trim()).toBe('A123456789');

    for (const role of ['DE', 'DA', 'DS', 'DM', 'AP']) {
      const refused = await runCli(['--role', role, 'unmask', '-d', 'customer_profile', '-c', 'cust_id', '-k', '1', token], env);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toContain(`role ${role} may not detokenize`);
      expect(refused.stderr).not.toContain(token);
    }
  });

  it.each(['DE', 'DA', 'DS', 'DM', 'AP'])('refuses %s a token of a chosen value, a secret column included, prints none, and audits it', async (role) => {
    const env = { CUR_HOME: await mkdtemp(join(tmpdir(), 'cur-mask-refused-')) };
    for (const [dataset, column, value] of [['customer_profile', 'mobile', '0912345678'], ['digital_activity', 'ip_address', '10.1.2.3']]) {
      const refused = await runCli(['--role', role, 'mask', '-d', dataset ?? '', '-c', column ?? '', value ?? ''], env);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toContain(`role ${role} may not tokenize values`);
      expect(refused.stderr).toContain('[ACCESS_DENIED]');
    }
    const runtime = await createRuntime(loadPlatformConfig(env));
    try {
      const entries = await new AuditLog(runtime.keyValueStore).day(new Date().toISOString().slice(0, 10));
      expect(entries.filter((entry) => entry.operation === 'tokenize').map((entry) => [entry.role, entry.column, entry.outcome])).toEqual([
        [role, 'mobile', 'refused'],
        [role, 'ip_address', 'refused'],
      ]);
      expect(JSON.stringify(entries)).not.toMatch(/0912345678|10\.1\.2\.3/);
      // --role is a claim anyone can make on a laptop: the entry also says which OS user made it.
      expect(entries.filter((entry) => entry.operation === 'tokenize').map((entry) => entry.osUser)).toEqual([osUser(), osUser()]);
    } finally {
      await runtime.close();
    }
  });

  it('rotates a key group for DM, keeps old tokens resolvable, and lists keys without material', async () => {
    const env = { CUR_HOME: await mkdtemp(join(tmpdir(), 'cur-keys-')) };
    const before = (await runCli(['--role', 'SYSTEM', 'mask', '-d', 'customer_profile', '-c', 'email', 'amy@example.com.tw'], env)).stdout.trim();
    expect((await runCli(['keys', 'rotate', 'email'], env)).code).toBe(1);
    const rotated = await runCli(['--role', 'DM', 'keys', 'rotate', 'email'], env);
    expect(rotated.stdout).toContain('now uses version 2');
    const after = (await runCli(['--role', 'SYSTEM', 'mask', '-d', 'customer_profile', '-c', 'email', 'amy@example.com.tw'], env)).stdout.trim();
    expect(after).toMatch(/^v2\./);
    const both = await runCli(['--role', 'SYSTEM', 'unmask', '-d', 'customer_profile', '-c', 'email', before, after], env);
    expect(both.stdout.trim().split('\n')).toEqual(['amy@example.com.tw', 'amy@example.com.tw']);
    const list = await runCli(['keys', 'list', '--json'], env);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ keyGroup: 'email', version: 1, active: false }),
      expect.objectContaining({ keyGroup: 'email', version: 2, active: true }),
    ]);
    expect(list.stdout).not.toMatch(/wrapped|plaintext/i);
  });
});
