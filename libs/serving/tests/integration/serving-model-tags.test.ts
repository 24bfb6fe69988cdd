import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedManifestKey, ServingStore, loadServingStore } from '../../src/index';
import { fixtureCustomers, publishServingFixture } from '../../src/testing/index';
import { servingPlatform, type ServingPlatform } from '../helpers/serving-platform';

const DATE = '2026-11-25';
const TAG = 'digital_native_propensity';
let platform: ServingPlatform;
let reader: ServingStore;

/** Publishes consumption.model_tags of DATE for these tokens, as the scoring step would, in the run `runId`. */
async function publishModelTags(tokens: readonly string[], version: string, runId: string): Promise<void> {
  const key = `model_tags/business_date=${DATE}/part-${runId}.parquet`;
  const file = platform.locate('consumption', key);
  await mkdir(dirname(file), { recursive: true });
  const rows = tokens.map((token) => `('${token}', '${TAG}', '${version}')`).join(', ');
  const rowCount = await platform.engine.writeParquet(`SELECT *, DATE '${DATE}' AS business_date FROM (VALUES ${rows}) AS t(cust_id, tag, model_version)`, file);
  const manifest = { dataset: 'model_tags', zone: 'consumption', businessDate: DATE, step: 'score', runId, files: [key], rowCount, contentSha256: '', schemaSha256: '', inputs: [], counts: {}, keyVersions: {}, startedAt: new Date().toISOString(), durationMs: 0 };
  await platform.system.put(publishedManifestKey('consumption', 'model_tags', DATE), JSON.stringify(manifest));
}

beforeAll(async () => {
  // Prepare: a published day (its manifests are of the run 'fixture') and 200 customers
  platform = await servingPlatform();
  await publishServingFixture(platform, { businessDate: DATE, customers: fixtureCustomers(200) });
  reader = new ServingStore(platform.runtime.keyValueStore, { pointerTtlMs: 0 });
});
afterAll(() => platform.close());

describe('loadServingStore with model tags', () => {
  it('serves the model tags scored from the same run\'s features beside the rule-based tags, with their version', async () => {
    // Prepare
    await publishModelTags(['Q200000001', 'Q200000002'], 'cur-model-a', 'fixture');

    // Act
    const loaded = await loadServingStore({ ...platform.loadDeps, tagCatalog: [] });

    // Assess
    expect(loaded.tagAssignments).toBe(300 + 2);
    const { customer } = await reader.getCustomer('Q200000002');
    expect(customer.tags).toEqual(['digital_native', TAG, 'high_value']);
    expect(customer.modelTags).toEqual({ [TAG]: 'cur-model-a' });
    expect((await reader.getCustomer('Q200000003')).customer.modelTags).toBeUndefined();
    const { tags, version } = await reader.listTags();
    expect(tags).toContainEqual({ name: TAG, customers: 2, description: expect.stringContaining('cur-model-a'), owner: 'data-science' });
    expect(version.sources).toContain(publishedManifestKey('consumption', 'model_tags', DATE));
    expect((await reader.customersWithTag(TAG, { limit: 10 })).tokens).toEqual(['Q200000001', 'Q200000002']);
  });

  it('leaves out model tags scored from other features (another run): a stale partition is not served', async () => {
    // Prepare
    await publishModelTags(['Q200000001', 'Q200000002'], 'cur-model-a', 'an-earlier-run');

    // Act
    const loaded = await loadServingStore({ ...platform.loadDeps, tagCatalog: [] });

    // Assess
    expect(loaded.tagAssignments).toBe(300);
    const { customer } = await reader.getCustomer('Q200000002');
    expect(customer.tags).not.toContain(TAG);
    expect(customer.modelTags).toBeUndefined();
    expect((await reader.listTags()).tags.map((tag) => tag.name)).not.toContain(TAG);
  });
});
