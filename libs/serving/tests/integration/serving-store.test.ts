import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServingStore, loadServingStore, type ServingLoadResult } from '../../src/index';
import { fixtureCustomers, publishServingFixture } from '../../src/testing/index';
import { servingPlatform, type ServingPlatform } from '../helpers/serving-platform';
import { interceptStore } from '../helpers/store-wrappers';

let platform: ServingPlatform;
let first: ServingLoadResult;
let reader: ServingStore;

beforeAll(async () => {
  // Prepare: one published day of 250 customers and two months of segment metrics
  platform = await servingPlatform();
  await publishServingFixture(platform, {
    businessDate: '2026-11-25',
    customers: fixtureCustomers(250),
    segmentMetrics: [
      { month: '2026-10', segment: 'MASS', customers: 100 },
      { month: '2026-11', segment: 'MASS', customers: 120 },
      { month: '2026-11', segment: 'PRIVATE', customers: 3 },
    ],
    customerTokenKeyVersion: 2,
  });
  first = await loadServingStore({ ...platform.loadDeps, tagCatalog: [{ name: 'high_value', description: 'AUM of NT$3 million or more', owner: 'wealth-management' }] });
  reader = new ServingStore(platform.runtime.keyValueStore, { pointerTtlMs: 0 });
});
afterAll(() => platform.close());

describe('loadServingStore', () => {
  it('loads customers, tag lists and metrics as one version and serves it', async () => {
    expect(first).toMatchObject({ asOf: '2026-11-25', customers: 250, tagAssignments: 375, metricsMonths: 2, pruned: [] });
    expect(first.previous).toBeUndefined();
    const version = await reader.current();
    expect(version).toMatchObject({ version: first.version, asOf: '2026-11-25', customers: 250, customerTokenKeyVersion: 2, segments: ['AFFLUENT', 'MASS', 'MASS_AFFLUENT', 'PRIVATE'], months: ['2026-10', '2026-11'] });
    expect(version.sources).toContain('manifests/consumption/customer_features/business_date=2026-11-25.json');
  });
});

describe('ServingStore', () => {
  it('gets a customer with tags, segment, typed features and as-of date', async () => {
    const { customer } = await reader.getCustomer('Q200000002');
    expect(customer).toMatchObject({ token: 'Q200000002', asOf: '2026-11-25', segment: 'AFFLUENT', tags: ['digital_native', 'high_value'] });
    expect(customer.features).toMatchObject({ aum_total: 2000, risk_level: 3, top_mcc_1m: '5411', app_share: 0.5, loan_balance: 0 });
    expect(customer.features).not.toHaveProperty('cust_id');
  });

  it('keeps served customers in memory: a second read within the pointer TTL touches no store', async () => {
    const reads: string[] = [];
    const counted = new ServingStore(interceptStore(platform.runtime.keyValueStore, { onRead: (pk) => reads.push(pk) }), { pointerTtlMs: 60_000 });
    await counted.getCustomer('Q200000005');
    await counted.batchGet(['Q200000005', 'Q200000006']);
    const before = reads.length;
    await counted.getCustomer('Q200000005');
    await counted.batchGet(['Q200000005', 'Q200000006']);
    expect(reads.length).toBe(before);
    expect(new ServingStore(platform.runtime.keyValueStore, { cacheEntries: 0 })).toBeInstanceOf(ServingStore);
  });

  it('answers CUSTOMER_NOT_FOUND for an unknown token', async () => {
    await expect(reader.getCustomer('A100000000')).rejects.toMatchObject({ code: 'CUSTOMER_NOT_FOUND' });
  });

  it('batch-gets up to 100 tokens from one version, once each, listing the missing', async () => {
    const tokens = ['Q200000001', 'Q200000001', 'Q200000007', 'A100000000'];
    const result = await reader.batchGet(tokens);
    expect(result.customers.map((c) => c.token)).toEqual(['Q200000001', 'Q200000007']);
    expect(result.missing).toEqual(['A100000000']);
    await expect(reader.batchGet(fixtureCustomers(101).map((c) => c.token))).rejects.toMatchObject({ code: 'BATCH_TOO_LARGE' });
  });

  it('lists tags with counts, and descriptions from the catalog', async () => {
    const { tags } = await reader.listTags();
    expect(tags).toEqual([
      { name: 'digital_native', customers: 125 },
      { name: 'digitally_dormant', customers: 125 },
      { name: 'high_value', customers: 125, description: 'AUM of NT$3 million or more', owner: 'wealth-management' },
    ]);
  });

  it('pages through the customers of a tag in token order, with no duplicates and nothing missed', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await reader.customersWithTag('digitally_dormant', { limit: 40, ...(cursor ? { cursor } : {}) });
      seen.push(...page.tokens);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBeGreaterThanOrEqual(4);
    expect(seen).toHaveLength(125);
    expect(new Set(seen).size).toBe(125);
    expect([...seen].sort()).toEqual(seen);
  });

  it('refuses an unknown tag, a forged cursor, a cursor of another tag and a page length out of range', async () => {
    await expect(reader.customersWithTag('gold')).rejects.toMatchObject({ code: 'TAG_NOT_FOUND' });
    await expect(reader.customersWithTag('high_value', { cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
    const forged = Buffer.from(JSON.stringify({ v: first.version, t: 'high_value', c: Buffer.from(JSON.stringify({ pk: 'cust#Q200000002', sk: 'x' })).toString('base64url') })).toString('base64url');
    await expect(reader.customersWithTag('high_value', { cursor: forged })).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
    const { nextCursor } = await reader.customersWithTag('high_value', { limit: 10 });
    await expect(reader.customersWithTag('digital_native', { cursor: nextCursor ?? '' })).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
    await expect(reader.customersWithTag('high_value', { limit: 1001 })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('answers segment metrics for a month or the latest, and says which is missing', async () => {
    const latest = await reader.segmentMetrics('MASS');
    expect(latest.metrics).toMatchObject({ segment: 'MASS', month: '2026-11', businessDate: '2026-11-25', metrics: { customers: 120, avg_aum: 1_000_000 } });
    expect((await reader.segmentMetrics('MASS', '2026-10')).metrics.metrics['customers']).toBe(100);
    await expect(reader.segmentMetrics('GOLD')).rejects.toMatchObject({ code: 'SEGMENT_NOT_FOUND' });
    await expect(reader.segmentMetrics('PRIVATE', '2026-10')).rejects.toMatchObject({ code: 'METRICS_NOT_FOUND' });
    await expect(reader.segmentMetrics('AFFLUENT')).rejects.toMatchObject({ code: 'METRICS_NOT_FOUND' });
  });
});
