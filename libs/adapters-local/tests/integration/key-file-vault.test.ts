import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeyFileVault } from '../../src/index';

const freshPath = async (): Promise<string> => join(await mkdtemp(join(tmpdir(), 'cur-vault-')), 'keys', 'master.key');

describe('KeyFileVault', () => {
  it('creates a 0600 master key on first use and unwraps what it wrapped, also after a restart', async () => {
    const path = await freshPath();
    const context = { keyGroup: 'national_id', version: 1 };
    const { plaintext, wrapped } = await new KeyFileVault(path).generateDataKey(context, 32);
    expect(plaintext).toHaveLength(32);
    expect(Buffer.from(wrapped).includes(Buffer.from(plaintext))).toBe(false);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(Buffer.from(await new KeyFileVault(path).unwrap(wrapped, context))).toEqual(Buffer.from(plaintext));
  });

  it('refuses a wrapped key moved to another key group or version, or tampered with', async () => {
    const vault = new KeyFileVault(await freshPath());
    const { wrapped } = await vault.generateDataKey({ keyGroup: 'national_id', version: 1 }, 32);
    await expect(vault.unwrap(wrapped, { keyGroup: 'card_number', version: 1 })).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    await expect(vault.unwrap(wrapped, { keyGroup: 'national_id', version: 2 })).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    const tampered = Buffer.from(wrapped);
    tampered[20] = (tampered[20] ?? 0) ^ 1;
    await expect(vault.unwrap(tampered, { keyGroup: 'national_id', version: 1 })).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
  });

  it('refuses a master key file others can read', async () => {
    const path = await freshPath();
    await new KeyFileVault(path).generateDataKey({ keyGroup: 'g', version: 1 }, 16);
    await writeFile(path, Buffer.alloc(32), { mode: 0o644 });
    const { chmod } = await import('node:fs/promises');
    await chmod(path, 0o644);
    await expect(new KeyFileVault(path).generateDataKey({ keyGroup: 'g', version: 1 }, 16)).rejects.toThrow(/chmod 600/);
  });
});
