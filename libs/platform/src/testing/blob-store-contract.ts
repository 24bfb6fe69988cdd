import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { BlobStore } from '../ports/blob-store';
import { isCurError } from '../errors/cur-error';

/**
 * The behaviour every {@link BlobStore} adapter must show. Each adapter's test file calls this with a factory for a
 * fresh, empty store, so the local folder and S3 are held to exactly the same contract.
 */
export function describeBlobStoreContract(name: string, makeStore: () => Promise<BlobStore> | BlobStore): void {
  const sha = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');
  const collect = async (store: BlobStore, prefix?: string): Promise<string[]> => {
    const keys: string[] = [];
    for await (const info of store.list(prefix)) keys.push(info.key);
    return keys;
  };

  describe(`BlobStore contract: ${name}`, () => {
    it('stores bytes and text and reads them back with size and checksum', async () => {
      const store = await makeStore();
      const bytes = new Uint8Array([0, 1, 2, 250, 255]);
      expect(await store.put('a/bytes.bin', bytes)).toEqual({ key: 'a/bytes.bin', size: 5, sha256: sha(bytes) });
      await store.put('a/text.csv', 'cust_id,cust_name\n');
      expect(Buffer.from(await store.get('a/bytes.bin'))).toEqual(Buffer.from(bytes));
      expect(Buffer.from(await store.get('a/text.csv')).toString('utf8')).toBe('cust_id,cust_name\n');
      expect((await store.head('a/text.csv'))?.size).toBe(18);
    });

    it('streams large bodies in and out', async () => {
      const store = await makeStore();
      const chunk = Buffer.alloc(1024 * 1024, 7);
      const chunks = Array.from({ length: 6 }, () => chunk);
      const result = await store.put('big/file.bin', Readable.from(chunks));
      expect(result.size).toBe(6 * 1024 * 1024);
      expect(result.sha256).toBe(sha(Buffer.concat(chunks)));
      let read = 0;
      for await (const part of await store.getStream('big/file.bin')) read += (part as Buffer).length;
      expect(read).toBe(6 * 1024 * 1024);
    });

    it('replaces an object at the same key', async () => {
      const store = await makeStore();
      await store.put('k.txt', 'first');
      await store.put('k.txt', 'second');
      expect(Buffer.from(await store.get('k.txt')).toString()).toBe('second');
    });

    it('refuses bytes whose checksum differs from the announced one and keeps nothing', async () => {
      const store = await makeStore();
      await expect(store.put('bad.csv', 'payload', { sha256: sha('other') })).rejects.toSatisfy((error) => isCurError(error, 'CONDITION_FAILED'));
      await expect(store.put('bad-stream.csv', Readable.from([Buffer.from('payload')]), { sha256: sha('other') })).rejects.toSatisfy((error) =>
        isCurError(error, 'CONDITION_FAILED'),
      );
      expect(await store.head('bad.csv')).toBeUndefined();
      expect(await store.head('bad-stream.csv')).toBeUndefined();
      await store.put('good.csv', 'payload', { sha256: sha('payload') });
      expect(await store.head('good.csv')).toBeDefined();
    });

    it('lists by prefix in key order', async () => {
      const store = await makeStore();
      for (const key of ['raw/b/2.parquet', 'raw/a/1.parquet', 'raw/a/0.parquet', 'landing/x.csv']) await store.put(key, key);
      expect(await collect(store, 'raw/')).toEqual(['raw/a/0.parquet', 'raw/a/1.parquet', 'raw/b/2.parquet']);
      expect(await collect(store)).toHaveLength(4);
      expect(await collect(store, 'nothing/')).toEqual([]);
    });

    it('reports a missing object as absent or NOT_FOUND, and deletes idempotently', async () => {
      const store = await makeStore();
      expect(await store.head('missing.csv')).toBeUndefined();
      await expect(store.get('missing.csv')).rejects.toSatisfy((error) => isCurError(error, 'NOT_FOUND'));
      await expect(store.getStream('missing.csv')).rejects.toSatisfy((error) => isCurError(error, 'NOT_FOUND'));
      await store.put('gone.csv', 'x');
      await store.delete('gone.csv');
      await store.delete('gone.csv');
      expect(await store.head('gone.csv')).toBeUndefined();
    });

    it('rejects keys that could escape the bucket', async () => {
      const store = await makeStore();
      await expect(store.put('../escape.csv', 'x')).rejects.toSatisfy((error) => isCurError(error, 'VALIDATION_FAILED'));
      await expect(store.get('/etc/passwd')).rejects.toSatisfy((error) => isCurError(error, 'VALIDATION_FAILED'));
    });
  });
}
