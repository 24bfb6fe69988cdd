import type { TableName } from '@cur/contracts';

/** The key of an item: every table has a string partition key and a string sort key. */
export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

/** An item: its key plus JSON-compatible attributes. */
export type Item = ItemKey & Readonly<Record<string, unknown>>;

/** A write condition. */
export type PutCondition =
  /** Write only if no item has this key (first writer wins; how redeliveries become no-ops). */
  | { readonly kind: 'absent' }
  /** Write only if the stored item's `attribute` equals `value` (optimistic concurrency). */
  | { readonly kind: 'equals'; readonly attribute: string; readonly value: string | number | boolean };

/** Options of {@link KeyValueStore.query}. */
export interface QueryOptions {
  /** Only items whose sort key starts with this. */
  readonly skPrefix?: string;
  /** At most this many items per page. @default 100 */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
  /** Newest-first when sort keys are times. @default false */
  readonly descending?: boolean;
}

/** One page of a query. */
export interface QueryPage {
  readonly items: Item[];
  /** Pass back to get the next page; absent on the last page. */
  readonly nextCursor?: string;
}

/**
 * Items in the platform's tables (batch ledger, key metadata, audit log, serving store), on the DynamoDB API:
 * DynamoDB in AWS, dynalite on a laptop, through the same adapter.
 */
export interface KeyValueStore {
  get(table: TableName, key: ItemKey): Promise<Item | undefined>;
  /** Writes an item. Rejects with a `CONDITION_FAILED` error when `condition` does not hold. */
  put(table: TableName, item: Item, condition?: PutCondition): Promise<void>;
  /** Items of one partition in sort-key order. */
  query(table: TableName, pk: string, options?: QueryOptions): Promise<QueryPage>;
  delete(table: TableName, key: ItemKey): Promise<void>;
  /** Writes many items, retrying what the service did not process. */
  batchPut(table: TableName, items: readonly Item[]): Promise<void>;
}
