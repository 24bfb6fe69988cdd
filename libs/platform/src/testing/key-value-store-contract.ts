import { describe, expect, it } from 'vitest';
import type { KeyValueStore } from '../ports/key-value-store';
import { isCurError } from '../errors/cur-error';

/**
 * The behaviour every {@link KeyValueStore} adapter must show, called by each adapter's tests with a factory for a
 * fresh, empty store.
 */
export function describeKeyValueStoreContract(name: string, makeStore: () => Promise<KeyValueStore> | KeyValueStore): void {
  describe(`KeyValueStore contract: ${name}`, () => {
    it('puts and gets items with nested attributes', async () => {
      const store = await makeStore();
      expect(await store.get('batch-ledger', { pk: 'b#1', sk: 'meta' })).toBeUndefined();
      const item = { pk: 'b#1', sk: 'meta', status: 'ACCEPTED', rowCount: 10000, checks: { sha256: true }, tags: ['a', 'b'] };
      await store.put('batch-ledger', item);
      expect(await store.get('batch-ledger', { pk: 'b#1', sk: 'meta' })).toEqual(item);
    });

    it('lets only the first writer of a key win with the absent condition', async () => {
      const store = await makeStore();
      await store.put('batch-ledger', { pk: 'b#2', sk: 'meta', writer: 'first' }, { kind: 'absent' });
      await expect(store.put('batch-ledger', { pk: 'b#2', sk: 'meta', writer: 'second' }, { kind: 'absent' })).rejects.toSatisfy((error) =>
        isCurError(error, 'CONDITION_FAILED'),
      );
      expect((await store.get('batch-ledger', { pk: 'b#2', sk: 'meta' }))?.['writer']).toBe('first');
    });

    it('writes with an equals condition only when the attribute still holds the expected value', async () => {
      const store = await makeStore();
      await store.put('batch-ledger', { pk: 'b#3', sk: 'meta', version: 1 });
      await store.put('batch-ledger', { pk: 'b#3', sk: 'meta', version: 2 }, { kind: 'equals', attribute: 'version', value: 1 });
      await expect(
        store.put('batch-ledger', { pk: 'b#3', sk: 'meta', version: 3 }, { kind: 'equals', attribute: 'version', value: 1 }),
      ).rejects.toSatisfy((error) => isCurError(error, 'CONDITION_FAILED'));
      expect((await store.get('batch-ledger', { pk: 'b#3', sk: 'meta' }))?.['version']).toBe(2);
    });

    it('queries a partition in sort-key order, by prefix, in pages, both directions', async () => {
      const store = await makeStore();
      const items = Array.from({ length: 60 }, (_, i) => ({ pk: 'audit#2026-11-25', sk: `t#${String(i).padStart(3, '0')}`, i }));
      await store.batchPut('audit-log', [...items, { pk: 'audit#2026-11-25', sk: 'x#other' }, { pk: 'audit#other', sk: 't#000' }]);

      const seen: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.query('audit-log', 'audit#2026-11-25', { skPrefix: 't#', limit: 25, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((item) => item['i'] as number));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(items.map((item) => item.i));

      const newest = await store.query('audit-log', 'audit#2026-11-25', { skPrefix: 't#', limit: 1, descending: true });
      expect(newest.items[0]?.['i']).toBe(59);
    });

    it('deletes items, and deleting a missing item is not an error', async () => {
      const store = await makeStore();
      await store.put('serving', { pk: 'c#1', sk: 'tags' });
      await store.delete('serving', { pk: 'c#1', sk: 'tags' });
      await store.delete('serving', { pk: 'c#1', sk: 'tags' });
      expect(await store.get('serving', { pk: 'c#1', sk: 'tags' })).toBeUndefined();
    });

    it('refuses a cursor it did not issue and an item without keys', async () => {
      const store = await makeStore();
      await expect(store.query('serving', 'c#1', { cursor: 'not-a-cursor' })).rejects.toSatisfy((error) => isCurError(error, 'VALIDATION_FAILED'));
      await expect(store.put('serving', { pk: '', sk: 'x' })).rejects.toSatisfy((error) => isCurError(error, 'VALIDATION_FAILED'));
    });
  });
}
