import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { describeBlobStoreContract } from '@cur/platform/testing';
import { FsBlobStore } from '../../src/index';

const freshRoot = (): Promise<string> => mkdtemp(join(tmpdir(), 'cur-fs-blob-'));

describeBlobStoreContract('FsBlobStore', async () => new FsBlobStore(await freshRoot(), 'raw'));

describe('FsBlobStore', () => {
  it('lays objects out like S3 keys under <root>/<bucket>/', async () => {
    const root = await freshRoot();
    await new FsBlobStore(root, 'landing').put('incoming/customer_profile/customer_profile_20261125.ctl', '{}');
    expect(await readdir(join(root, 'landing', 'incoming', 'customer_profile'))).toEqual(['customer_profile_20261125.ctl']);
  });

  it('leaves no partial object behind when a stream fails mid-way', async () => {
    const root = await freshRoot();
    const store = new FsBlobStore(root, 'raw');
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(1024));
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(store.put('partial.bin', failing)).rejects.toThrow('connection reset');
    expect(await store.head('partial.bin')).toBeUndefined();
    const listed: string[] = [];
    for await (const info of store.list()) listed.push(info.key);
    expect(listed).toEqual([]);
  });
});
