import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  type AttributeValue,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { TableName } from '@cur/contracts';
import type { Item, ItemKey, KeyValueStore, PutCondition, QueryOptions, QueryPage } from '@cur/platform';
import { AdapterError, ConditionFailedError, CurError, ValidationError } from '@cur/platform';

/** Options of {@link DynamoDbKeyValueStore}. */
export interface DynamoDbKeyValueStoreOptions {
  /** Physical table names are `<tablePrefix>-<logical name>`. */
  readonly tablePrefix: string;
  /**
   * Create a table on first use when it does not exist (on-demand billing, `pk`/`sk` string keys). For the local
   * DynamoDB server; in AWS the CDK app owns the tables. @default false
   */
  readonly createMissingTables?: boolean;
  /** Attempts for unprocessed batch items before giving up. @default 8 */
  readonly maxBatchAttempts?: number;
}

/** BatchWriteItem's limit. */
const BATCH_SIZE = 25;

/**
 * A {@link KeyValueStore} on the DynamoDB API. The same class talks to DynamoDB in AWS and to dynalite on a laptop.
 */
export class DynamoDbKeyValueStore implements KeyValueStore {
  readonly #client: DynamoDBClient;
  readonly #options: Required<DynamoDbKeyValueStoreOptions>;
  readonly #ready = new Map<string, Promise<void>>();

  constructor(client: DynamoDBClient, options: DynamoDbKeyValueStoreOptions) {
    this.#client = client;
    this.#options = { createMissingTables: false, maxBatchAttempts: 8, ...options };
  }

  /** The physical name of a logical table. */
  physicalName(table: TableName): string {
    return `${this.#options.tablePrefix}-${table}`;
  }

  async get(table: TableName, key: ItemKey): Promise<Item | undefined> {
    const TableName = await this.#table(table);
    const result = await this.#call('get', table, () =>
      this.#client.send(new GetItemCommand({ TableName, Key: marshallKey(key), ConsistentRead: true })),
    );
    return result.Item ? (unmarshall(result.Item) as Item) : undefined;
  }

  async put(table: TableName, item: Item, condition?: PutCondition): Promise<void> {
    const TableName = await this.#table(table);
    const conditionInput =
      condition === undefined
        ? {}
        : condition.kind === 'absent'
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: '#attribute = :expected',
              ExpressionAttributeNames: { '#attribute': condition.attribute },
              ExpressionAttributeValues: marshall({ ':expected': condition.value }),
            };
    const Item = marshallItem(item);
    try {
      await this.#client.send(new PutItemCommand({ TableName, Item, ...conditionInput }));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConditionFailedError(`conditional write to table '${table}' lost: the item ${describeCondition(condition)}`, {
          cause: error,
          details: { table },
        });
      }
      throw wrap('put', table, error);
    }
  }

  async query(table: TableName, pk: string, options: QueryOptions = {}): Promise<QueryPage> {
    const TableName = await this.#table(table);
    const values: Record<string, string> = { ':pk': pk };
    let keyCondition = 'pk = :pk';
    if (options.skPrefix !== undefined) {
      keyCondition += ' AND begins_with(sk, :prefix)';
      values[':prefix'] = options.skPrefix;
    }
    const startKey = options.cursor === undefined ? {} : { ExclusiveStartKey: decodeCursor(options.cursor, pk) };
    const result = await this.#call('query', table, () =>
      this.#client.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: keyCondition,
          ExpressionAttributeValues: marshall(values),
          Limit: options.limit ?? 100,
          ScanIndexForward: !(options.descending ?? false),
          ConsistentRead: true,
          ...startKey,
        }),
      ),
    );
    const items = (result.Items ?? []).map((raw) => unmarshall(raw) as Item);
    return result.LastEvaluatedKey ? { items, nextCursor: encodeCursor(result.LastEvaluatedKey) } : { items };
  }

  async delete(table: TableName, key: ItemKey): Promise<void> {
    const TableName = await this.#table(table);
    await this.#call('delete', table, () => this.#client.send(new DeleteItemCommand({ TableName, Key: marshallKey(key) })));
  }

  async batchPut(table: TableName, items: readonly Item[]): Promise<void> {
    const TableName = await this.#table(table);
    for (let start = 0; start < items.length; start += BATCH_SIZE) {
      let pending: WriteRequest[] = items.slice(start, start + BATCH_SIZE).map((item) => ({ PutRequest: { Item: marshallItem(item) } }));
      for (let attempt = 1; pending.length > 0; attempt += 1) {
        if (attempt > this.#options.maxBatchAttempts) {
          throw new AdapterError(`batch write to table '${table}' left ${pending.length} items unprocessed after ${attempt - 1} attempts`, {
            details: { table, count: pending.length },
          });
        }
        if (attempt > 1) await sleep(Math.min(50 * 2 ** attempt, 2_000));
        const requests = pending;
        const result = await this.#call('batchPut', table, () =>
          this.#client.send(new BatchWriteItemCommand({ RequestItems: { [TableName]: requests } })),
        );
        pending = result.UnprocessedItems?.[TableName] ?? [];
      }
    }
  }

  /**
   * The physical name of a logical table, once the table exists: with `createMissingTables` (the local DynamoDB
   * server) it is created first. For code that talks to the table through another client of the same DynamoDB API,
   * such as Powertools Idempotency's persistence layer.
   */
  ensureTable(table: TableName): Promise<string> {
    return this.#table(table);
  }

  #table(table: TableName): Promise<string> {
    const name = this.physicalName(table);
    if (!this.#options.createMissingTables) return Promise.resolve(name);
    let ready = this.#ready.get(name);
    if (!ready) {
      ready = this.#createIfMissing(table, name);
      this.#ready.set(name, ready);
      ready.catch(() => this.#ready.delete(name));
    }
    return ready.then(() => name);
  }

  async #createIfMissing(table: TableName, name: string): Promise<void> {
    try {
      await this.#client.send(new DescribeTableCommand({ TableName: name }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw wrap('describe', table, error);
      try {
        await this.#client.send(
          new CreateTableCommand({
            TableName: name,
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [
              { AttributeName: 'pk', AttributeType: 'S' },
              { AttributeName: 'sk', AttributeType: 'S' },
            ],
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'sk', KeyType: 'RANGE' },
            ],
          }),
        );
      } catch (createError) {
        // Another process created it between our describe and create: that is what we wanted.
        if (!(createError instanceof ResourceInUseException)) throw wrap('create', table, createError);
      }
      await this.#waitUntilActive(table, name);
    }
  }

  /** A new table answers ResourceNotFound until it is ACTIVE, on DynamoDB and dynalite alike. */
  async #waitUntilActive(table: TableName, name: string): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const description = await this.#call('describe', table, () => this.#client.send(new DescribeTableCommand({ TableName: name })));
      if (description.Table?.TableStatus === 'ACTIVE') return;
      await sleep(Math.min(20 * (attempt + 1), 500));
    }
    throw new AdapterError(`table '${table}' did not become ACTIVE`, { details: { table } });
  }

  async #call<T>(operation: string, table: TableName, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw wrap(operation, table, error);
    }
  }
}

function marshallItem(item: Item): Record<string, AttributeValue> {
  if (typeof item.pk !== 'string' || typeof item.sk !== 'string' || item.pk === '' || item.sk === '') {
    throw new ValidationError('an item needs non-empty string pk and sk');
  }
  return marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: false });
}

function marshallKey(key: ItemKey): Record<string, AttributeValue> {
  return marshall({ pk: key.pk, sk: key.sk });
}

function encodeCursor(key: Record<string, AttributeValue>): string {
  return Buffer.from(JSON.stringify(unmarshall(key))).toString('base64url');
}

function decodeCursor(cursor: string, pk: string): Record<string, AttributeValue> {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<ItemKey> | null;
    if (key?.pk !== pk || typeof key.sk !== 'string') throw new Error('not a key of this partition');
    return marshallKey({ pk: key.pk, sk: key.sk });
  } catch (error) {
    throw new ValidationError('the cursor is not one this store issued; start again without a cursor', { cause: error });
  }
}

function describeCondition(condition: PutCondition | undefined): string {
  if (condition?.kind === 'absent') return 'exists already';
  if (condition?.kind === 'equals') return `changed its '${condition.attribute}' since it was read`;
  return 'did not meet the condition';
}

/**
 * The port error for an SDK failure. A platform error raised inside the client's own middleware (the local state
 * folder's link: STATE_FOLDER_READ_ONLY, STATE_FOLDER_BUSY) already says what to do, so it passes unchanged.
 */
function wrap(operation: string, table: TableName, error: unknown): CurError {
  if (error instanceof CurError) return error;
  const name = error instanceof Error ? error.name : 'unknown error';
  return new AdapterError(`DynamoDB ${operation} on table '${table}' failed (${name})`, { cause: error, details: { table, operation } });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
