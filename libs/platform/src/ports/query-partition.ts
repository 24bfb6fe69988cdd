import type { TableName } from '@cur/contracts';
import type { Item, KeyValueStore, QueryOptions } from './key-value-store';

/**
 * Every item of one partition, page after page, in sort-key order. For partitions known to be small (a key group's
 * versions, a day's audit entries); large ones should be read page by page.
 */
export async function queryPartition(store: KeyValueStore, table: TableName, pk: string, options: Omit<QueryOptions, 'cursor'> = {}): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.query(table, pk, { limit: 1000, ...options, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}
