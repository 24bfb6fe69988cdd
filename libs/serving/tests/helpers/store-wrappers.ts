import type { TableName } from '@cur/contracts';
import type { Item, KeyValueStore, PutCondition } from '@cur/platform';

/** A real store with some operations intercepted, to slow a load down or make it fail at a chosen point. */
export function interceptStore(
  inner: KeyValueStore,
  hooks: {
    beforeBatchPut?: (items: readonly Item[], call: number) => Promise<void> | void;
    beforePut?: (item: Item, condition: PutCondition | undefined) => Promise<void> | void;
    onRead?: (pk: string) => void;
  },
): KeyValueStore {
  let batchCalls = 0;
  return {
    get: (table, key) => {
      hooks.onRead?.(key.pk);
      return inner.get(table, key);
    },
    query: (table, pk, options) => {
      hooks.onRead?.(pk);
      return inner.query(table, pk, options);
    },
    delete: (table, key) => inner.delete(table, key),
    put: async (table: TableName, item: Item, condition?: PutCondition) => {
      await hooks.beforePut?.(item, condition);
      return inner.put(table, item, condition);
    },
    batchPut: async (table: TableName, items: readonly Item[]) => {
      batchCalls += 1;
      await hooks.beforeBatchPut?.(items, batchCalls);
      return inner.batchPut(table, items);
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
