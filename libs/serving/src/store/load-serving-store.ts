import { randomBytes } from 'node:crypto';
import type { ColumnSpec } from '@cur/contracts';
import { getDataset } from '@cur/contracts';
import type { BlobStore, Item, KeyValueStore, SqlEngine } from '@cur/platform';
import { isCurError, throwIfCancelled } from '@cur/platform';
import { LOAD_LEASE_MS } from '../constants';
import { ServingError } from '../serving-error';
import type { TagCatalogEntry, TagSummary } from '../types/serving-types';
import { ManifestStore, manifestKey, type ContentVerifier, type Manifest } from '@cur/lake';
import { pruneServingVersions } from './prune-versions';
import { CUSTOMER_SLOTS, SERVING_KEYS, TAG_PAGE_SIZE, newVersionId } from './serving-keys';
import { LeaseSchema, PointerSchema, VersionItemSchema } from './serving-items';

const TABLE = 'serving';

/** What a load reads from and writes to. */
export interface ServingLoadDependencies {
  /** The `serving` table's store. */
  readonly store: KeyValueStore;
  /** The system bucket, where the pipeline publishes its manifests. */
  readonly system: BlobStore;
  /** Reads the published Parquet files (DuckDB locally). The caller opens and closes it. */
  readonly engine: SqlEngine;
  /**
   * Where the engine finds an object of a zone bucket: a path under the local lake folder (`cur run`), or a file the
   * serving-load Lambda has just copied from S3 into its scratch folder (hence a promise).
   */
  readonly locate: (bucket: 'consumption' | 'mart', key: string) => string | Promise<string>;
  /** Checks each manifest's files before they are read (`createContentVerifier`). @default none: the files are trusted */
  readonly verify?: ContentVerifier;
  /** Descriptions and owners of the tags, for `GET /v1/tags` (the pipeline's tag definitions). */
  readonly tagCatalog?: readonly TagCatalogEntry[];
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** Options of {@link loadServingStore}. */
export interface ServingLoadOptions {
  /** The consumption partition to load. @default the latest published `customer_features` */
  readonly businessDate?: string;
  /** Load even if the served version is of a later business date. @default false */
  readonly allowOlder?: boolean;
  /** Customers read from the engine at a time. @default 2000 */
  readonly chunkSize?: number;
  /** Batch writes in flight at once. @default 4 */
  readonly writeConcurrency?: number;
  /**
   * Stops the load at its next safe point (between chunks of writes, before the flip) when it fires: the version
   * written so far is marked abandoned (the next load prunes it), the pointer does not move, the lease is released,
   * and the load throws `CANCELLED`.
   */
  readonly signal?: AbortSignal;
  /**
   * Called after each chunk is written: rows read so far from `customer_features` and `customer_tags` together, and
   * their total. Counts only.
   */
  readonly onProgress?: (progress: ServingLoadProgress) => void;
}

/** How far a load is: rows of the consumption layer written into the version so far, of how many. */
export interface ServingLoadProgress {
  readonly rowsDone: number;
  readonly rowsTotal: number;
}

/** What a load did. */
export interface ServingLoadResult {
  readonly version: string;
  readonly asOf: string;
  /** The version served before, if any; kept until the next load. */
  readonly previous?: string;
  readonly customers: number;
  readonly tagAssignments: number;
  readonly metricsMonths: number;
  readonly itemsWritten: number;
  /** Versions deleted after the flip. */
  readonly pruned: readonly string[];
  readonly durationMs: number;
}

/**
 * Loads the published consumption layer (`customer_features`, `customer_tags`) and the data mart
 * (`segment_metrics_monthly`) into a new version of the serving store, then makes it the served one.
 *
 * Atomic per run: under a lease (one load at a time), every item of the new version is written (batch writes,
 * retried) where no reader looks, the customer slot that neither the served nor the previous version uses, and
 * only then does one conditional put flip the pointer. Readers see the previous version or the new one, never part
 * of one. After the flip, versions older than the previous one are pruned.
 *
 * @throws ServingError `SERVING_LOAD_CONFLICT` when another load holds the lease or flipped the pointer first,
 * `SERVING_STALE_LOAD` for an older business date than the served one, `SERVING_INPUT_MISSING`; CancelledError
 * `CANCELLED` when `options.signal` fires
 * @example
 * const engine = await DuckDbSqlEngine.open();
 * try {
 *   await loadServingStore({ store: runtime.keyValueStore, system: runtime.blobStore('system'), engine, locate: (bucket, key) => join(lake, bucket, key) });
 * } finally { await engine.close(); }
 */
export async function loadServingStore(deps: ServingLoadDependencies, options: ServingLoadOptions = {}): Promise<ServingLoadResult> {
  throwIfCancelled(options.signal);
  const now = deps.now ?? (() => new Date());
  const startedMs = Date.now();
  const manifests = new ManifestStore(deps.system, deps.verify ? { verify: deps.verify } : {});
  const features = options.businessDate === undefined ? await manifests.latest('consumption', 'customer_features') : await manifests.get('consumption', 'customer_features', options.businessDate);
  if (!features) throw new ServingError('SERVING_INPUT_MISSING', `no published consumption customer_features${options.businessDate ? ` for ${options.businessDate}` : ''}: run the pipeline first`);
  const asOf = features.businessDate;
  const tags = await manifests.get('consumption', 'customer_tags', asOf);
  if (!tags) throw new ServingError('SERVING_INPUT_MISSING', `no published consumption customer_tags for ${asOf}: run the pipeline first`);
  // Model tags are served beside the rule-based ones only when scored from these features (the same pipeline run).
  const modelTags = await manifests.get('consumption', 'model_tags', asOf).then((m) => (m?.runId === features.runId ? m : undefined));
  const segmentManifests = latestPerMonth(await manifests.list('mart', 'segment_metrics_monthly', { to: asOf }));
  const customerTokenKeyVersion = await keyVersionOfCustomerTokens(manifests, features);

  throwIfCancelled(options.signal);
  const lease = await LoadLease.acquire(deps.store, now);
  try {
    const pointerItem = await deps.store.get(TABLE, SERVING_KEYS.pointer);
    const served = pointerItem ? PointerSchema.parse(pointerItem) : undefined;
    if (served && served.asOf > asOf && !options.allowOlder) {
      throw new ServingError('SERVING_STALE_LOAD', `the serving store serves ${served.asOf}, later than ${asOf}; pass allowOlder to load an older business date`);
    }
    const slot = await freeSlot(deps.store, served);

    const { engine } = deps;
    const located = (bucket: 'consumption' | 'mart', files: readonly string[]): Promise<string[]> => Promise.all(files.map((key) => deps.locate(bucket, key)));
    await engine.registerParquetView('s_customer_features', await located('consumption', features.files));
    // s_customer_tags: the rule-based tags (no model version) and the model-based ones (with theirs).
    await engine.registerParquetView('s_rule_tags', await located('consumption', tags.files));
    const modelRows = modelTags ? 'SELECT cust_id, tag, model_version FROM s_model_tags' : 'SELECT cust_id, tag, model_version FROM (SELECT NULL::VARCHAR AS cust_id, NULL::VARCHAR AS tag, NULL::VARCHAR AS model_version) WHERE false';
    if (modelTags) await engine.registerParquetView('s_model_tags', await located('consumption', modelTags.files));
    await engine.execute(`CREATE OR REPLACE VIEW s_customer_tags AS SELECT cust_id, tag, NULL::VARCHAR AS model_version FROM s_rule_tags UNION ALL ${modelRows}`);
    const metricsRows: { manifest: Manifest; row: Record<string, unknown> }[] = [];
    for (const manifest of segmentManifests) {
      await engine.registerParquetView('s_segment_metrics', await located('mart', manifest.files));
      for (const row of await engine.query(`SELECT ${columnList(metricsColumns)} FROM s_segment_metrics ORDER BY segment`)) metricsRows.push({ manifest, row });
    }
    const catalog = new Map((deps.tagCatalog ?? []).map((entry) => [entry.name, entry]));
    // A model tag is described by the version that gave it: the tag definitions know only the rule-based tags.
    for (const row of await engine.query('SELECT tag, MIN(model_version) AS version FROM s_customer_tags WHERE model_version IS NOT NULL GROUP BY tag')) {
      const name = String(row['tag']);
      if (!catalog.has(name)) catalog.set(name, { name, description: `model-based: customers model version ${String(row['version'])} scores at or above its threshold`, owner: 'data-science' });
    }
    const tagSummaries: TagSummary[] = (await engine.query('SELECT tag, COUNT(*) AS customers FROM s_customer_tags GROUP BY tag ORDER BY tag')).map((row) => {
      const name = String(row['tag']);
      const entry = catalog.get(name);
      return { name, customers: Number(row['customers']), ...(entry ? { description: entry.description, owner: entry.owner } : {}) };
    });
    const featureSegments = (await engine.query('SELECT DISTINCT segment FROM s_customer_features ORDER BY segment')).map((row) => String(row['segment']));
    const started = now();
    const version = newVersionId(asOf, started, randomBytes(3).toString('hex'));
    const registry = {
      ...SERVING_KEYS.version(version),
      version,
      slot,
      asOf,
      startedAt: started.toISOString(),
      customers: Number((await engine.query('SELECT COUNT(*) AS n FROM s_customer_features'))[0]?.['n'] ?? 0),
      tags: tagSummaries,
      tagPageSize: TAG_PAGE_SIZE,
      segments: [...new Set([...featureSegments, ...metricsRows.map(({ row }) => String(row['segment']))])].sort(),
      months: [...new Set(metricsRows.map(({ row }) => String(row['month'])))].sort(),
      sources: [features, tags, ...(modelTags ? [modelTags] : []), ...segmentManifests].map((m) => manifestKey(m.zone, m.dataset, m.businessDate)),
      ...(customerTokenKeyVersion === undefined ? {} : { customerTokenKeyVersion }),
    };
    // Registered first, with everything needed to find its items again: a failed load leaves a prunable version.
    await deps.store.put(TABLE, { ...registry, status: 'loading' }, { kind: 'absent' });

    const writer = new ConcurrentWriter(deps.store, options.writeConcurrency ?? 4, () => lease.renew(), options.signal);
    let written: { tagAssignments: number; items: number };
    try {
      const rowsTotal = registry.customers + tagSummaries.reduce((sum, tag) => sum + tag.customers, 0);
      const onRows = options.onProgress ? (rowsDone: number) => options.onProgress?.({ rowsDone, rowsTotal }) : undefined;
      written = await writeVersion({ engine, writer, version, slot, asOf, metricsRows, chunkSize: options.chunkSize ?? 2000, ...(onRows ? { onRows } : {}) });
      // The last safe point: after it the version is flipped in whole.
      throwIfCancelled(options.signal);
    } catch (error) {
      // The pointer never moved: readers still see the served version. The next load prunes what was written.
      await deps.store.put(TABLE, { ...registry, status: 'abandoned', loadedAt: now().toISOString() }).catch(() => undefined);
      throw error;
    }
    await lease.renew();
    await deps.store.put(TABLE, { ...registry, status: 'ready', loadedAt: now().toISOString() });
    try {
      await deps.store.put(
        TABLE,
        { ...SERVING_KEYS.pointer, version, asOf, flippedAt: now().toISOString(), ...(served ? { previous: served.version } : {}) },
        served ? { kind: 'equals', attribute: 'version', value: served.version } : { kind: 'absent' },
      );
    } catch (error) {
      if (!isCurError(error, 'CONDITION_FAILED')) throw error;
      await deps.store.put(TABLE, { ...registry, status: 'abandoned', loadedAt: now().toISOString() });
      throw new ServingError('SERVING_LOAD_CONFLICT', `the served version changed while version ${version} was written; this load was discarded`, { cause: error });
    }
    const pruned = await pruneServingVersions(deps.store);
    return {
      version,
      asOf,
      ...(served ? { previous: served.version } : {}),
      customers: registry.customers,
      tagAssignments: written.tagAssignments,
      metricsMonths: registry.months.length,
      itemsWritten: written.items,
      pruned,
      durationMs: Date.now() - startedMs,
    };
  } finally {
    await lease.release();
  }
}

/** The customer slot neither the served nor the previous version uses (an abandoned load's slot is fair game). */
async function freeSlot(store: KeyValueStore, served: { version: string; previous?: string } | undefined): Promise<number> {
  const taken = new Set<number>();
  for (const id of [served?.version, served?.previous]) {
    if (id === undefined) continue;
    const item = await store.get(TABLE, SERVING_KEYS.version(id));
    if (item) taken.add(VersionItemSchema.parse(item).slot);
  }
  for (let slot = 0; slot < CUSTOMER_SLOTS; slot += 1) if (!taken.has(slot)) return slot;
  throw new ServingError('SERVING_LOAD_CONFLICT', 'no free customer slot: the served and previous versions share none of three');
}

/** Writes every data item of a version: segment metrics, customers (chunk by chunk) and the tag pages. */
async function writeVersion(input: {
  engine: SqlEngine;
  writer: ConcurrentWriter;
  version: string;
  slot: number;
  asOf: string;
  metricsRows: readonly { manifest: Manifest; row: Record<string, unknown> }[];
  chunkSize: number;
  /** Rows read so far (customers, then tag assignments), after each chunk is written. */
  onRows?: (rowsDone: number) => void;
}): Promise<{ tagAssignments: number; items: number }> {
  const { engine, writer, version, slot, asOf, chunkSize } = input;
  let rowsDone = 0;
  for (const { manifest, row } of input.metricsRows) {
    writer.add({ pk: SERVING_KEYS.segmentMetricsPk(String(row['segment']), version), sk: String(row['month']), businessDate: manifest.businessDate, metrics: typedRow(row, metricsColumns, ['segment', 'month']) });
  }
  // Customers, keyset-paged by token, each with its tags.
  let after: string | undefined;
  for (;;) {
    await writer.checkpoint();
    const rows = await engine.query(`SELECT ${columnList(featureColumns)} FROM s_customer_features${after === undefined ? '' : ` WHERE cust_id > ${literal(after)}`} ORDER BY cust_id LIMIT ${chunkSize}`);
    if (rows.length === 0) break;
    const first = String(rows[0]?.['cust_id']);
    const last = String(rows.at(-1)?.['cust_id']);
    const tagsByToken = new Map<string, string[]>();
    const modelTagsByToken = new Map<string, Record<string, string>>();
    for (const row of await engine.query(`SELECT cust_id, tag, model_version FROM s_customer_tags WHERE cust_id >= ${literal(first)} AND cust_id <= ${literal(last)} ORDER BY cust_id, tag`)) {
      const token = String(row['cust_id']);
      tagsByToken.set(token, [...(tagsByToken.get(token) ?? []), String(row['tag'])]);
      if (row['model_version'] !== null && row['model_version'] !== undefined) modelTagsByToken.set(token, { ...modelTagsByToken.get(token), [String(row['tag'])]: String(row['model_version']) });
    }
    for (const row of rows) {
      const token = String(row['cust_id']);
      writer.add({ ...SERVING_KEYS.customer(token, slot), version, asOf, segment: String(row['segment']), tags: tagsByToken.get(token) ?? [], ...(modelTagsByToken.has(token) ? { modelTags: modelTagsByToken.get(token) } : {}), features: typedRow(row, featureColumns, ['cust_id', 'segment']) });
    }
    await writer.drain();
    rowsDone += rows.length;
    input.onRows?.(rowsDone);
    after = last;
    if (rows.length < chunkSize) break;
  }
  // Tag pages: the tokens of each tag in token order, TAG_PAGE_SIZE to an item, keyset-paged by (tag, token).
  let tagAssignments = 0;
  let page: { tag: string; index: number; tokens: string[] } | undefined;
  const flushPage = () => {
    if (page && page.tokens.length > 0) writer.add({ ...SERVING_KEYS.tagPage(page.tag, version, page.index), tokens: page.tokens });
  };
  let position: { tag: string; token: string } | undefined;
  for (;;) {
    await writer.checkpoint();
    const where = position === undefined ? '' : ` WHERE tag > ${literal(position.tag)} OR (tag = ${literal(position.tag)} AND cust_id > ${literal(position.token)})`;
    const rows = await engine.query(`SELECT tag, cust_id FROM s_customer_tags${where} ORDER BY tag, cust_id LIMIT ${chunkSize * 5}`);
    for (const row of rows) {
      const tag = String(row['tag']);
      const token = String(row['cust_id']);
      if (!page || page.tag !== tag || page.tokens.length === TAG_PAGE_SIZE) {
        flushPage();
        page = { tag, index: page && page.tag === tag ? page.index + 1 : 0, tokens: [] };
      }
      page.tokens.push(token);
      tagAssignments += 1;
      position = { tag, token };
    }
    await writer.drain();
    rowsDone += rows.length;
    input.onRows?.(rowsDone);
    if (rows.length < chunkSize * 5) break;
  }
  flushPage();
  return { tagAssignments, items: await writer.flush() };
}

const featureColumns = getDataset('customer_features').columns;
const metricsColumns = getDataset('segment_metrics_monthly').columns;

function columnList(columns: readonly ColumnSpec[]): string {
  return columns.map((column) => column.name).join(', ');
}

const NUMERIC = /^(int|bigint|double|decimal)/;

/** A row's columns as JSON values by declared type (the engine gives big integers and decimals as text). */
function typedRow(row: Record<string, unknown>, columns: readonly ColumnSpec[], skip: readonly string[]): Record<string, string | number | boolean | null> {
  const typed: Record<string, string | number | boolean | null> = {};
  for (const column of columns) {
    if (skip.includes(column.name)) continue;
    const value = row[column.name];
    if (value === null || value === undefined) typed[column.name] = null;
    else if (NUMERIC.test(column.type)) typed[column.name] = Number(value);
    else if (column.type === 'boolean') typed[column.name] = value === true || value === 'true';
    else typed[column.name] = String(value);
  }
  return typed;
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** For each month, the manifest of the latest business date in it (a month's metrics are restated daily). */
function latestPerMonth(manifests: readonly Manifest[]): Manifest[] {
  const byMonth = new Map<string, Manifest>();
  for (const manifest of manifests) byMonth.set(manifest.businessDate.slice(0, 7), manifest);
  return [...byMonth.values()];
}

/** The key version the mask step used for the customer tokens, from the transformed customer_profile the features came from. */
async function keyVersionOfCustomerTokens(manifests: ManifestStore, features: Manifest): Promise<number | undefined> {
  const profileKey = features.inputs.find((key) => key.startsWith('manifests/transformed/customer_profile/'));
  if (profileKey === undefined) return undefined;
  return (await manifests.read(profileKey))?.keyVersions['cust_id'];
}

/**
 * The load lease (`serving`/`lease`): one load at a time, so two loads never write the same customer slot. Taken
 * with a conditional put, renewed as the load writes, released at the end; one that expired belongs to a dead
 * loader and is taken over.
 */
class LoadLease {
  readonly #store: KeyValueStore;
  readonly #owner: string;
  readonly #now: () => Date;

  private constructor(store: KeyValueStore, owner: string, now: () => Date) {
    this.#store = store;
    this.#owner = owner;
    this.#now = now;
  }

  static async acquire(store: KeyValueStore, now: () => Date): Promise<LoadLease> {
    const owner = randomBytes(8).toString('hex');
    const item = { ...SERVING_KEYS.lease, owner, expiresAt: now().getTime() + LOAD_LEASE_MS };
    try {
      await store.put(TABLE, item, { kind: 'absent' });
    } catch (error) {
      if (!isCurError(error, 'CONDITION_FAILED')) throw error;
      const held = LeaseSchema.parse(await store.get(TABLE, SERVING_KEYS.lease));
      if (held.expiresAt > now().getTime()) throw new ServingError('SERVING_LOAD_CONFLICT', 'another load of the serving store is in progress; try again when it has finished', { cause: error });
      try {
        await store.put(TABLE, item, { kind: 'equals', attribute: 'owner', value: held.owner });
      } catch (takeover) {
        if (isCurError(takeover, 'CONDITION_FAILED')) throw new ServingError('SERVING_LOAD_CONFLICT', 'another load took over the expired lease first', { cause: takeover });
        throw takeover;
      }
    }
    return new LoadLease(store, owner, now);
  }

  /** @throws ServingError `SERVING_LOAD_CONFLICT` when the lease was lost (this loader stalled past its expiry) */
  async renew(): Promise<void> {
    try {
      await this.#store.put(TABLE, { ...SERVING_KEYS.lease, owner: this.#owner, expiresAt: this.#now().getTime() + LOAD_LEASE_MS }, { kind: 'equals', attribute: 'owner', value: this.#owner });
    } catch (error) {
      if (isCurError(error, 'CONDITION_FAILED')) throw new ServingError('SERVING_LOAD_CONFLICT', 'this load lost its lease to another load; it stops without flipping', { cause: error });
      throw error;
    }
  }

  async release(): Promise<void> {
    await this.#store.put(TABLE, { ...SERVING_KEYS.lease, owner: this.#owner, expiresAt: 0 }, { kind: 'equals', attribute: 'owner', value: this.#owner }).catch(() => undefined);
  }
}

/**
 * Buffers items and writes them with a few batch writes in flight, renewing the lease between writes. A new write
 * starts as soon as one ends, and the caller reads its next chunk while the last ones are in flight, so reading
 * (DuckDB), sending (the SDK) and storing (the local DynamoDB server, on its own thread) overlap.
 */
class ConcurrentWriter {
  readonly #store: KeyValueStore;
  readonly #concurrency: number;
  readonly #heartbeat: () => Promise<void>;
  readonly #signal: AbortSignal | undefined;
  readonly #inFlight = new Set<Promise<void>>();
  #buffer: Item[] = [];
  #written = 0;
  #failure: { error: unknown } | undefined;
  #lastBeat = Date.now();

  constructor(store: KeyValueStore, concurrency: number, heartbeat: () => Promise<void>, signal?: AbortSignal) {
    this.#store = store;
    this.#concurrency = Math.max(1, concurrency);
    this.#heartbeat = heartbeat;
    this.#signal = signal;
  }

  add(item: Item): void {
    this.#buffer.push(item);
  }

  /** A safe point between chunks: once the load's signal has fired, waits for the writes in flight, then throws `CANCELLED`. */
  async checkpoint(): Promise<void> {
    if (this.#signal?.aborted) await this.#settle();
    throwIfCancelled(this.#signal);
  }

  /**
   * Starts batch writes of 100 buffered items, at most `concurrency` in flight, until fewer than `threshold` are
   * left unsent; returns with the last ones still in flight. A write that failed fails the next call.
   */
  async drain(threshold = 100): Promise<void> {
    while (this.#buffer.length >= Math.max(threshold, 1)) {
      if (this.#inFlight.size >= this.#concurrency) await Promise.race(this.#inFlight);
      this.#throwIfFailed();
      // A safe point: a batch write completes or never starts; on a cancel, those in flight finish first.
      if (this.#signal?.aborted) await this.#settle();
      throwIfCancelled(this.#signal);
      const group = this.#buffer.splice(0, 100);
      const write: Promise<void> = this.#store.batchPut(TABLE, group).then(
        () => void (this.#written += group.length),
        (error: unknown) => void (this.#failure ??= { error }),
      );
      this.#inFlight.add(write);
      void write.finally(() => this.#inFlight.delete(write));
      if (Date.now() - this.#lastBeat > LOAD_LEASE_MS / 10) {
        await this.#heartbeat();
        this.#lastBeat = Date.now();
      }
    }
  }

  async flush(): Promise<number> {
    await this.drain(1);
    await this.#settle();
    this.#throwIfFailed();
    return this.#written;
  }

  /** Waits for every write in flight (each records its own failure). */
  async #settle(): Promise<void> {
    await Promise.all(this.#inFlight);
  }

  #throwIfFailed(): void {
    if (this.#failure) throw this.#failure.error;
  }
}
