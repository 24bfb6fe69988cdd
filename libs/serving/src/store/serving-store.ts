import { z } from 'zod';
import type { Item, KeyValueStore } from '@cur/platform';
import { DEFAULT_PAGE_LENGTH, DEFAULT_POINTER_TTL_MS, MAX_BATCH_TOKENS, MAX_PAGE_LENGTH } from '../constants';
import { ServingError } from '../serving-error';
import type { CustomerRecord, SegmentMetricsRecord, ServingVersion, TagMembersPage, TagSummary } from '../types/serving-types';
import { SERVING_KEYS } from './serving-keys';
import { PointerSchema, VersionItemSchema } from './serving-items';

const TABLE = 'serving';

/** Options of {@link ServingStore}. */
export interface ServingStoreOptions {
  /** @default {@link DEFAULT_POINTER_TTL_MS}; 0 reads the pointer on every call */
  readonly pointerTtlMs?: number;
  /**
   * Customers (and misses) kept in memory, per version: a version never changes once it is served, so a cached
   * answer is always the version's answer. 0 turns the cache off. @default {@link DEFAULT_CACHE_ENTRIES}
   */
  readonly cacheEntries?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/** Customers a {@link ServingStore} keeps in memory by default (a few MB). */
export const DEFAULT_CACHE_ENTRIES = 10_000;

/** A ready version with what the reader needs to find its items. */
interface ResolvedVersion {
  readonly version: ServingVersion;
  readonly slot: number;
  readonly tagPageSize: number;
}

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const CustomerItemSchema = z.looseObject({ version: z.string(), asOf: z.string(), segment: z.string(), tags: z.array(z.string()), modelTags: z.record(z.string(), z.string()).optional(), features: z.record(z.string(), scalar) });
const TagPageSchema = z.looseObject({ tokens: z.array(z.string()) });
const MetricsItemSchema = z.looseObject({ businessDate: z.string(), metrics: z.record(z.string(), scalar) });

/** What a page cursor of `customersWithTag` carries: the version it lists, the tag, and the position in the list. */
const CursorSchema = z.object({ v: z.string().min(1).max(128), t: z.string().min(1).max(64), i: z.number().int().min(1).max(1e9) }).strict();

/**
 * The read model of the serving store: one version at a time, the one the pointer item names, so every answer
 * comes from one complete load. A reader may keep its copy of the pointer for `pointerTtlMs`: the loader never
 * writes where the served or the previous version lives, and a miss re-reads the pointer before it says "not found".
 *
 * @example
 * const serving = new ServingStore(runtime.keyValueStore);
 * const { customer } = await serving.getCustomer('Q204718365');
 */
export class ServingStore {
  readonly #store: KeyValueStore;
  readonly #ttl: number;
  readonly #now: () => number;
  #pointer: { resolved: ResolvedVersion; readAt: number } | undefined;
  readonly #versions = new Map<string, Promise<ResolvedVersion | undefined>>();
  readonly #cache: VersionedCache<CustomerRecord | null>;
  readonly #pages: VersionedCache<readonly string[]>;

  constructor(store: KeyValueStore, options: ServingStoreOptions = {}) {
    this.#store = store;
    this.#ttl = options.pointerTtlMs ?? DEFAULT_POINTER_TTL_MS;
    this.#now = options.now ?? Date.now;
    this.#cache = new VersionedCache(options.cacheEntries ?? DEFAULT_CACHE_ENTRIES);
    this.#pages = new VersionedCache(options.cacheEntries === 0 ? 0 : 256);
  }

  /**
   * The served version.
   *
   * @throws ServingError `SERVING_NOT_LOADED` before the first load
   */
  async current(options: { fresh?: boolean } = {}): Promise<ServingVersion> {
    return (await this.#current(options.fresh ?? false)).version;
  }

  /**
   * A customer of the served version.
   *
   * @throws ServingError `CUSTOMER_NOT_FOUND`
   */
  getCustomer(token: string): Promise<{ version: ServingVersion; customer: CustomerRecord }> {
    // The hot path: pointer and customer both in memory, answered without touching the store.
    const cached = this.#pointer;
    if (cached && this.#now() - cached.readAt < this.#ttl) {
      const customer = this.#cache.get(cached.resolved.version.version, token);
      if (customer) return Promise.resolve({ version: cached.resolved.version, customer });
    }
    return this.#withFreshOnMiss(async (resolved) => {
      const customer = await this.#customer(resolved, token);
      if (!customer) throw new ServingError('CUSTOMER_NOT_FOUND', 'no customer with this token in the served version');
      return { version: resolved.version, customer };
    });
  }

  /**
   * Many customers, all from the same version, never a mix. Duplicates are answered once; tokens without a customer
   * in that version are listed in `missing`.
   *
   * @param tokens - at most {@link MAX_BATCH_TOKENS} distinct tokens
   */
  async batchGet(tokens: readonly string[]): Promise<{ version: ServingVersion; customers: CustomerRecord[]; missing: string[] }> {
    const unique = [...new Set(tokens)];
    if (unique.length > MAX_BATCH_TOKENS) throw new ServingError('BATCH_TOO_LARGE', `a batch carries at most ${MAX_BATCH_TOKENS} tokens; this one has ${unique.length}`);
    const read = async (resolved: ResolvedVersion) => {
      // Cached customers are answered without a promise each; only the rest are read, concurrently.
      const found = unique.map((token) => this.#cache.get(resolved.version.version, token));
      const reads = found.flatMap((customer, index) => (customer === undefined ? [index] : []));
      if (reads.length > 0) {
        const read = await Promise.all(reads.map((index) => this.#customer(resolved, unique[index] ?? '')));
        reads.forEach((index, i) => (found[index] = read[i]));
      }
      const customers: CustomerRecord[] = [];
      const missing: string[] = [];
      found.forEach((customer, index) => {
        if (customer) customers.push(customer);
        else missing.push(unique[index] ?? '');
      });
      return { version: resolved.version, customers, missing };
    };
    const first = await read(await this.#current(false));
    if (first.missing.length === 0 || this.#ttl === 0) return first;
    // The cached pointer may be stale: answer from the served version instead.
    const fresh = await this.#current(true);
    return fresh.version.version === first.version.version ? first : read(fresh);
  }

  /** The tags of the served version with their customer counts, by name. */
  async listTags(): Promise<{ version: ServingVersion; tags: readonly TagSummary[] }> {
    const { version } = await this.#current(false);
    return { version, tags: version.tags };
  }

  /**
   * One page of the tokens of the customers carrying a tag, in token order. A cursor pins the version it was
   * issued for, so a listing stays on one version across a load; once that version is neither served nor the
   * previous one, the cursor expires.
   *
   * @param limit - 1 to {@link MAX_PAGE_LENGTH}. @default {@link DEFAULT_PAGE_LENGTH}
   * @throws ServingError `TAG_NOT_FOUND`, `INVALID_CURSOR`, `CURSOR_EXPIRED`, `INVALID_REQUEST`
   */
  async customersWithTag(tag: string, options: { cursor?: string; limit?: number } = {}): Promise<TagMembersPage> {
    const limit = options.limit ?? DEFAULT_PAGE_LENGTH;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LENGTH) throw new ServingError('INVALID_REQUEST', `limit must be 1 to ${MAX_PAGE_LENGTH}`);
    const cursor = options.cursor === undefined ? undefined : decodeCursor(options.cursor, tag);
    if (!cursor) return this.#withFreshOnMiss((resolved) => this.#tagPage(resolved, tag, 0, limit, 'TAG_NOT_FOUND'));
    const pinned = await this.#version(cursor.v);
    if (!pinned || !(await this.#isServable(cursor.v))) {
      throw new ServingError('CURSOR_EXPIRED', 'the version this cursor lists has been replaced twice since: start the listing again without a cursor');
    }
    return this.#tagPage(pinned, tag, cursor.i, limit, 'CURSOR_EXPIRED');
  }

  /**
   * A segment's metrics for a month of the served version, or for its latest month.
   *
   * @throws ServingError `SEGMENT_NOT_FOUND`, `METRICS_NOT_FOUND`
   */
  async segmentMetrics(segment: string, month?: string): Promise<{ version: ServingVersion; metrics: SegmentMetricsRecord }> {
    return this.#withFreshOnMiss(async ({ version }) => {
      if (!version.segments.includes(segment)) throw new ServingError('SEGMENT_NOT_FOUND', `no segment '${segment}' in the served version`);
      const pk = SERVING_KEYS.segmentMetricsPk(segment, version.version);
      const item = month === undefined ? (await this.#store.query(TABLE, pk, { limit: 1, descending: true })).items[0] : await this.#store.get(TABLE, { pk, sk: month });
      if (!item) throw new ServingError('METRICS_NOT_FOUND', `no metrics of segment '${segment}' for ${month ?? 'any month'} in the served version`);
      const parsed = MetricsItemSchema.parse(item);
      return { version, metrics: { segment, month: item.sk, businessDate: parsed.businessDate, metrics: parsed.metrics } };
    });
  }

  /** Tokens `start` to `start + limit` of a tag's list in a version; `whenGone` is the code if the list was pruned meanwhile. */
  async #tagPage(resolved: ResolvedVersion, tag: string, start: number, limit: number, whenGone: 'TAG_NOT_FOUND' | 'CURSOR_EXPIRED'): Promise<TagMembersPage> {
    const summary = resolved.version.tags.find((candidate) => candidate.name === tag);
    if (!summary) throw new ServingError('TAG_NOT_FOUND', `no tag '${tag}' in the served version`);
    if (start > 0 && start >= summary.customers) throw new ServingError('INVALID_CURSOR', 'the cursor is not one this API issued for this tag; start again without a cursor');
    const end = Math.min(start + limit, summary.customers);
    const tokens: string[] = [];
    for (let page = Math.floor(start / resolved.tagPageSize); page * resolved.tagPageSize < end; page += 1) {
      const pageTokens = await this.#tagPageTokens(resolved, tag, page);
      if (!pageTokens) throw new ServingError(whenGone, 'the version this listing was on has been pruned: start the listing again without a cursor');
      const offset = page * resolved.tagPageSize;
      tokens.push(...pageTokens.slice(Math.max(0, start - offset), end - offset));
    }
    return { version: resolved.version, tag, tokens, ...(end < summary.customers ? { nextCursor: encodeCursor({ v: resolved.version.version, t: tag, i: end }) } : {}) };
  }

  /** A customer of a version, or `null`: from memory, else from its slot (an item stamped with another version is a miss). */
  async #customer(resolved: ResolvedVersion, token: string): Promise<CustomerRecord | null> {
    const version = resolved.version.version;
    const cached = this.#cache.get(version, token);
    if (cached !== undefined) return cached;
    const customer = toCustomer(token, resolved, await this.#store.get(TABLE, SERVING_KEYS.customer(token, resolved.slot))) ?? null;
    // A miss is only final on a version still served: one whose slot is being written over is read afresh instead.
    if (customer || this.#pointer?.resolved.version.version === version) this.#cache.set(version, token, customer);
    return customer;
  }

  async #tagPageTokens(resolved: ResolvedVersion, tag: string, page: number): Promise<readonly string[] | undefined> {
    const version = resolved.version.version;
    const key = `${tag}\u0000${page}`;
    const cached = this.#pages.get(version, key);
    if (cached !== undefined) return cached;
    const item = await this.#store.get(TABLE, SERVING_KEYS.tagPage(tag, version, page));
    if (!item) return undefined;
    const tokens = TagPageSchema.parse(item).tokens;
    this.#pages.set(version, key, tokens);
    return tokens;
  }

  async #current(fresh: boolean): Promise<ResolvedVersion> {
    const cached = this.#pointer;
    if (!fresh && cached && this.#now() - cached.readAt < this.#ttl) return cached.resolved;
    const readAt = this.#now();
    const item = await this.#store.get(TABLE, SERVING_KEYS.pointer);
    if (!item) throw new ServingError('SERVING_NOT_LOADED', 'the serving store has no loaded version yet: run the pipeline (and its serving load step) first');
    const pointer = PointerSchema.parse(item);
    const resolved = await this.#version(pointer.version);
    if (!resolved) throw new ServingError('SERVING_NOT_LOADED', `the served version '${pointer.version}' has no ready registry item`);
    this.#pointer = { resolved, readAt };
    return resolved;
  }

  /** A ready version by id; cached, since a ready version never changes. */
  #version(id: string): Promise<ResolvedVersion | undefined> {
    let pending = this.#versions.get(id);
    if (!pending) {
      pending = this.#readVersion(id);
      this.#versions.set(id, pending);
      const forget = () => void this.#versions.delete(id);
      pending.then((resolved) => (resolved ? undefined : forget()), forget);
      if (this.#versions.size > 16) this.#versions.delete(this.#versions.keys().next().value ?? id);
    }
    return pending;
  }

  async #readVersion(id: string): Promise<ResolvedVersion | undefined> {
    const item = await this.#store.get(TABLE, SERVING_KEYS.version(id));
    if (!item) return undefined;
    const parsed = VersionItemSchema.parse(item);
    if (parsed.status !== 'ready') return undefined;
    return {
      slot: parsed.slot,
      tagPageSize: parsed.tagPageSize,
      version: {
        version: parsed.version,
        asOf: parsed.asOf,
        loadedAt: parsed.loadedAt ?? parsed.startedAt,
        customers: parsed.customers,
        tags: parsed.tags.map((tag) => ({ name: tag.name, customers: tag.customers, ...(tag.description ? { description: tag.description } : {}), ...(tag.owner ? { owner: tag.owner } : {}) })),
        segments: parsed.segments,
        months: parsed.months,
        ...(parsed.customerTokenKeyVersion === undefined ? {} : { customerTokenKeyVersion: parsed.customerTokenKeyVersion }),
        sources: parsed.sources,
      },
    };
  }

  /** True while a version is the served one or the one before it: only those two are never written over. */
  async #isServable(id: string): Promise<boolean> {
    const item = await this.#store.get(TABLE, SERVING_KEYS.pointer);
    if (!item) return false;
    const pointer = PointerSchema.parse(item);
    return pointer.version === id || pointer.previous === id;
  }

  /** Runs a read on the served version; on a not-found from a cached pointer, once more on a freshly read one. */
  async #withFreshOnMiss<T>(read: (resolved: ResolvedVersion) => Promise<T>): Promise<T> {
    const resolved = await this.#current(false);
    try {
      return await read(resolved);
    } catch (error) {
      if (!(error instanceof ServingError) || !error.code.endsWith('_NOT_FOUND') || this.#ttl === 0) throw error;
      const fresh = await this.#current(true);
      if (fresh.version.version === resolved.version.version) throw error;
      return read(fresh);
    }
  }
}

/** The customer in an item of the version's slot; `undefined` when there is none, or it belongs to another version. */
function toCustomer(token: string, resolved: ResolvedVersion, item: Item | undefined): CustomerRecord | undefined {
  if (!item || item['version'] !== resolved.version.version) return undefined;
  const parsed = CustomerItemSchema.parse(item);
  return { token, asOf: parsed.asOf, segment: parsed.segment, tags: parsed.tags, ...(parsed.modelTags ? { modelTags: parsed.modelTags } : {}), features: parsed.features };
}

function encodeCursor(cursor: z.infer<typeof CursorSchema>): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string, tag: string): z.infer<typeof CursorSchema> {
  const invalid = (cause?: unknown) => new ServingError('INVALID_CURSOR', 'the cursor is not one this API issued for this tag; start again without a cursor', cause === undefined ? undefined : { cause });
  if (text.length > 1024 || !/^[A-Za-z0-9_-]+$/.test(text)) throw invalid();
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch (error) {
    throw invalid(error);
  }
  const parsed = CursorSchema.safeParse(json);
  if (!parsed.success || parsed.data.t !== tag) throw invalid();
  return parsed.data;
}

/** A bounded map of immutable per-version answers; the oldest entries go first. */
class VersionedCache<T> {
  readonly #limit: number;
  readonly #entries = new Map<string, T>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  get(version: string, key: string): T | undefined {
    return this.#limit === 0 ? undefined : this.#entries.get(`${version}\u0000${key}`);
  }

  set(version: string, key: string, value: T): void {
    if (this.#limit === 0) return;
    if (this.#entries.size >= this.#limit) this.#entries.delete(this.#entries.keys().next().value ?? '');
    this.#entries.set(`${version}\u0000${key}`, value);
  }
}
