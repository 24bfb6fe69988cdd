import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVING_KEYS, ServingError, ServingStore, loadServingStore, type ServingLoadResult } from '../../src/index';
import { fixtureCustomers, publishServingFixture, type FixtureCustomer } from '../../src/testing/index';
import { servingPlatform, type ServingPlatform } from '../helpers/serving-platform';
import { interceptStore, sleep } from '../helpers/store-wrappers';

const CUSTOMERS = 300;

/** A day's customers: the same tokens every day, with the day in their AUM and their own tag, so a mix shows. */
function day(dayOfMonth: number): FixtureCustomer[] {
  return fixtureCustomers(CUSTOMERS, { tags: () => ['common', `day_${dayOfMonth}`], features: () => ({ aum_total: dayOfMonth }) });
}

async function publishDay(platform: ServingPlatform, dayOfMonth: number): Promise<void> {
  await publishServingFixture(platform, {
    businessDate: `2026-11-${dayOfMonth}`,
    customers: day(dayOfMonth),
    segmentMetrics: [{ month: '2026-11', segment: 'MASS', customers: dayOfMonth }],
  });
}

/** The items a version keeps under its own keys: its registry item, tag pages and metrics. */
async function versionItemsLeft(platform: ServingPlatform, version: string): Promise<number> {
  const store = platform.runtime.keyValueStore;
  let count = (await store.query('serving', SERVING_KEYS.tagPk('common', version), { limit: 1000 })).items.length;
  count += (await store.query('serving', SERVING_KEYS.segmentMetricsPk('MASS', version), { limit: 1000 })).items.length;
  if (await store.get('serving', SERVING_KEYS.version(version))) count += 1;
  return count;
}

describe('a reader during a load', () => {
  let platform: ServingPlatform;
  beforeAll(async () => {
    platform = await servingPlatform();
    await publishDay(platform, 24);
    await publishDay(platform, 25);
    await loadServingStore(platform.loadDeps, { businessDate: '2026-11-24' });
  });
  afterAll(() => platform.close());

  it('sees the previous version or the new one, whole, never half of one', async () => {
    // Prepare: a load slowed down at every batch write, so the reader runs many times while it writes
    const slow = interceptStore(platform.runtime.keyValueStore, { beforeBatchPut: () => sleep(25) });
    const reader = new ServingStore(platform.runtime.keyValueStore, { pointerTtlMs: 0 });
    let done = false;
    // Act
    const load = loadServingStore({ ...platform.loadDeps, store: slow }, { businessDate: '2026-11-25', writeConcurrency: 1, chunkSize: 50 }).finally(() => {
      done = true;
    });
    const seen: string[] = [];
    let reads = 0;
    const readOnce = async () => {
      const tokens = Array.from({ length: 20 }, (_, i) => `Q2${String((reads * 37 + i * 13) % CUSTOMERS).padStart(8, '0')}`);
      const batch = await reader.batchGet(tokens);
      const dayOfMonth = Number(batch.version.asOf.slice(-2));
      // Assess: every answer is one whole version
      expect(batch.missing).toEqual([]);
      expect(new Set(batch.customers.map((c) => c.features['aum_total']))).toEqual(new Set([dayOfMonth]));
      expect(new Set(batch.customers.map((c) => c.asOf))).toEqual(new Set([batch.version.asOf]));
      for (const customer of batch.customers) expect(customer.tags).toEqual(['common', `day_${dayOfMonth}`]);
      const tags = await reader.listTags();
      expect(tags.tags).toEqual([
        { name: 'common', customers: CUSTOMERS },
        { name: `day_${Number(tags.version.asOf.slice(-2))}`, customers: CUSTOMERS },
      ]);
      // Each call reads the pointer afresh, so calls may straddle the flip; each one is whole on its own.
      const page = await reader.customersWithTag('common', { limit: 1000 });
      expect(page.tokens).toHaveLength(CUSTOMERS);
      const own = await reader.customersWithTag(`day_${Number(page.version.asOf.slice(-2))}`, { limit: 1000 }).catch((error: unknown) => error);
      if (own instanceof ServingError) expect(own.code).toBe('TAG_NOT_FOUND');
      else expect((own as { tokens: string[] }).tokens).toEqual(page.tokens);
      seen.push(batch.version.asOf);
      reads += 1;
    };
    while (!done) await readOnce();
    const result = await load;
    await readOnce();
    // The reader saw both versions, in order: once the new one is served, never the old one again.
    expect(seen[0]).toBe('2026-11-24');
    expect(seen.at(-1)).toBe('2026-11-25');
    expect(seen.indexOf('2026-11-25')).toBeGreaterThan(0);
    expect(seen.slice(seen.indexOf('2026-11-25'))).not.toContain('2026-11-24');
    expect(result.itemsWritten).toBe(CUSTOMERS + 2 + 1);
    expect(reads).toBeGreaterThan(4);
  });
});

describe('versions', () => {
  let platform: ServingPlatform;
  let v24: ServingLoadResult;
  let v25: ServingLoadResult;
  const reader = () => new ServingStore(platform.runtime.keyValueStore, { pointerTtlMs: 0 });

  beforeAll(async () => {
    platform = await servingPlatform();
    for (const d of [24, 25, 26, 27]) await publishDay(platform, d);
    v24 = await loadServingStore(platform.loadDeps, { businessDate: '2026-11-24' });
    v25 = await loadServingStore(platform.loadDeps, { businessDate: '2026-11-25' });
  });
  afterAll(() => platform.close());

  it('keeps the previous version after a flip', async () => {
    expect(v25.previous).toBe(v24.version);
    expect(v25.pruned).toEqual([]);
    expect(await versionItemsLeft(platform, v24.version)).toBeGreaterThan(0);
  });

  it('refuses to replace a later business date with an earlier one unless asked', async () => {
    await expect(loadServingStore(platform.loadDeps, { businessDate: '2026-11-24' })).rejects.toMatchObject({ code: 'SERVING_STALE_LOAD' });
    expect((await reader().current()).asOf).toBe('2026-11-25');
  });

  it('leaves the served version alone when a load fails half-way, and the next load removes what it wrote', async () => {
    const failing = interceptStore(platform.runtime.keyValueStore, {
      beforeBatchPut: (_items, call) => {
        if (call === 3) throw new Error('DynamoDB throttled us for good');
      },
    });
    await expect(loadServingStore({ ...platform.loadDeps, store: failing }, { businessDate: '2026-11-26', writeConcurrency: 1 })).rejects.toThrow('throttled');
    expect((await reader().current()).version).toBe(v25.version);
    const abandoned = (await platform.runtime.keyValueStore.query('serving', SERVING_KEYS.versionsPk)).items.find((item) => item['status'] === 'abandoned');
    expect(abandoned?.['asOf']).toBe('2026-11-26');
    const abandonedVersion = String(abandoned?.['version']);
    expect(await versionItemsLeft(platform, abandonedVersion)).toBeGreaterThan(0);
    // Some customers of the failed load are in its slot, stamped with its version: nobody reads them as served.
    expect((await reader().getCustomer('Q200000000')).customer.features['aum_total']).toBe(25);

    const v26 = await loadServingStore(platform.loadDeps, { businessDate: '2026-11-26' });
    expect(v26.previous).toBe(v25.version);
    expect(v26.pruned).toEqual(expect.arrayContaining([v24.version, abandonedVersion]));
    expect(await versionItemsLeft(platform, abandonedVersion)).toBe(0);
    expect(await versionItemsLeft(platform, v24.version)).toBe(0);
    expect(await versionItemsLeft(platform, v25.version)).toBeGreaterThan(0);
  });

  it('keeps a listing on its version across a load, and expires its cursor once that version is pruned', async () => {
    const served = await reader().current();
    const page1 = await reader().customersWithTag('common', { limit: 100 });
    expect(page1.version.version).toBe(served.version);
    const next = await loadServingStore(platform.loadDeps, { businessDate: '2026-11-27' });
    const page2 = await reader().customersWithTag('common', { limit: 100, cursor: page1.nextCursor ?? '' });
    expect(page2.version.version).toBe(served.version);
    expect((page2.tokens[0] ?? '') > (page1.tokens.at(-1) ?? '~')).toBe(true);
    await publishDay(platform, 28);
    const after = await loadServingStore(platform.loadDeps, { businessDate: '2026-11-28' });
    expect(after.pruned).toContain(served.version);
    await expect(reader().customersWithTag('common', { limit: 100, cursor: page2.nextCursor ?? '' })).rejects.toMatchObject({ code: 'CURSOR_EXPIRED' });
    expect(next.previous).toBe(served.version);
  });

  it('lets one load run at a time: a second one is refused before it writes anything', async () => {
    await publishDay(platform, 29);
    const served = await reader().current();
    const first = loadServingStore(platform.loadDeps, { businessDate: '2026-11-29' });
    await sleep(5);
    const versionsBefore = (await platform.runtime.keyValueStore.query('serving', SERVING_KEYS.versionsPk)).items.length;
    await expect(loadServingStore(platform.loadDeps, { businessDate: '2026-11-29' })).rejects.toMatchObject({ code: 'SERVING_LOAD_CONFLICT' });
    expect((await platform.runtime.keyValueStore.query('serving', SERVING_KEYS.versionsPk)).items.length).toBeLessThanOrEqual(versionsBefore + 1);
    const won = await first;
    expect(won.previous).toBe(served.version);
    expect((await reader().current()).version).toBe(won.version);
    expect((await platform.runtime.keyValueStore.query('serving', SERVING_KEYS.versionsPk)).items.map((item) => item.sk).sort()).toEqual([served.version, won.version].sort());
  });

  it('takes over the lease of a load that died, and stops a load that lost its lease without flipping', async () => {
    const store = platform.runtime.keyValueStore;
    await store.put('serving', { ...SERVING_KEYS.lease, owner: 'dead-loader', expiresAt: Date.now() - 1 });
    const served = await loadServingStore(platform.loadDeps, { businessDate: '2026-11-29' });
    let stolen = false;
    const stalled = interceptStore(store, {
      beforeBatchPut: async () => {
        if (stolen) return;
        stolen = true;
        await store.put('serving', { ...SERVING_KEYS.lease, owner: 'someone-else', expiresAt: Date.now() + 60_000 });
      },
    });
    await expect(loadServingStore({ ...platform.loadDeps, store: stalled }, { businessDate: '2026-11-29' })).rejects.toMatchObject({ code: 'SERVING_LOAD_CONFLICT' });
    expect((await reader().current()).version).toBe(served.version);
    await store.put('serving', { ...SERVING_KEYS.lease, owner: 'someone-else', expiresAt: 0 });
    const next = await loadServingStore(platform.loadDeps, { businessDate: '2026-11-29' });
    expect(next.pruned).toHaveLength(2);
  });
});

describe('a reader that caches the pointer', () => {
  it('answers from one whole version within its TTL, and re-reads the pointer once that version is gone', async () => {
    const platform = await servingPlatform();
    try {
      for (const d of [24, 25, 26, 27]) await publishDay(platform, d);
      await loadServingStore(platform.loadDeps, { businessDate: '2026-11-24' });
      const [a, b, c] = [0, 1, 2].map(() => new ServingStore(platform.runtime.keyValueStore, { pointerTtlMs: 60_000 }));
      for (const cached of [a, b, c]) expect((await cached?.current())?.asOf).toBe('2026-11-24');
      await loadServingStore(platform.loadDeps, { businessDate: '2026-11-25' });
      await loadServingStore(platform.loadDeps, { businessDate: '2026-11-26' });
      // Version 24 is pruned, but its customers are still whole in their slot: within the TTL, a answers from 24.
      expect((await a?.getCustomer('Q200000001'))?.customer.features['aum_total']).toBe(24);
      // Its tag lists are gone: the listing moves on to the served version rather than fail.
      expect((await a?.customersWithTag('common', { limit: 5 }))?.version.asOf).toBe('2026-11-26');
      await loadServingStore(platform.loadDeps, { businessDate: '2026-11-27' });
      // Version 27 went into version 24's slot: items stamped 27 are never taken for 24's; the readers re-read.
      expect((await b?.getCustomer('Q200000002'))?.customer.features['aum_total']).toBe(27);
      const batch = await c?.batchGet(['Q200000003', 'Q200000004']);
      expect(batch?.version.asOf).toBe('2026-11-27');
      expect(batch?.customers.map((customer) => customer.features['aum_total'])).toEqual([27, 27]);
    } finally {
      await platform.close();
    }
  });
});
