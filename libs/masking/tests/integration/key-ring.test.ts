import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlatformConfig } from '@cur/platform';
import { createRuntime, type Runtime } from '@cur/runtime';
import { KeyRing } from '../../src/index';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await createRuntime(loadPlatformConfig({ CUR_HOME: await mkdtemp(join(tmpdir(), 'cur-keyring-')) }));
});
afterAll(() => runtime.close());

const ring = (options?: ConstructorParameters<typeof KeyRing>[2]): KeyRing => new KeyRing(runtime.keyValueStore, runtime.keyVault(), options);

describe('KeyRing on dynalite and the local key file', () => {
  it('creates version 1 of a group on first use and gives every process the same key', async () => {
    const first = await ring().activeKey('national_id');
    const second = await ring().activeKey('national_id');
    expect(first.version).toBe(1);
    expect(Buffer.from(second.key)).toEqual(Buffer.from(first.key));
  });

  it('agrees on one version 1 when many processes create the group at once', async () => {
    const keys = await Promise.all(Array.from({ length: 8 }, () => ring().activeKey('card_number')));
    const distinct = new Set(keys.map((key) => Buffer.from(key.key).toString('hex')));
    expect(distinct.size).toBe(1);
  });

  it('rotates to a new version and keeps the old one resolvable', async () => {
    const keyRing = ring();
    const v1 = await keyRing.activeKey('email');
    expect(await keyRing.rotate('email')).toBe(2);
    const v2 = await ring().activeKey('email');
    expect(v2.version).toBe(2);
    expect(Buffer.from(v2.key)).not.toEqual(Buffer.from(v1.key));
    expect(Buffer.from(await ring().keyAt('email', 1))).toEqual(Buffer.from(v1.key));
  });

  it('sees another process rotate once its cached active version expires', async () => {
    let now = 1_000_000;
    const reader = ring({ activeVersionTtlMs: 1_000, now: () => now });
    expect(await reader.activeVersion('mobile')).toBe(1);
    await ring().rotate('mobile');
    expect(await reader.activeVersion('mobile')).toBe(1);
    now += 1_001;
    expect(await reader.activeVersion('mobile')).toBe(2);
  });

  it('refuses an unknown version with a coded error that names no key material', async () => {
    await ring().activeKey('device_id');
    await expect(ring().keyAt('device_id', 9)).rejects.toMatchObject({ code: 'KEY_NOT_FOUND', message: "key group 'device_id' has no version 9" });
  });

  it('lists groups and versions without key material', async () => {
    const list = await ring().list();
    const email = list.filter((info) => info.keyGroup === 'email');
    expect(email.map((info) => [info.version, info.active])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(JSON.stringify(list)).not.toMatch(/wrappedKey|plaintext/);
    expect(email[0]?.vault).toMatch(/^file:/);
  });
});
