import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '@cur/platform';
import { SERVING_KEYS, ServingStore, loadServingStore } from '../../src/index';
import { fixtureCustomers, publishServingFixture } from '../../src/testing/index';
import { servingPlatform, type ServingPlatform } from '../helpers/serving-platform';
import { interceptStore } from '../helpers/store-wrappers';

/**
 * Issue 17, point 2: Ctrl-C during the serving load used to leave its lease held for 10 minutes, so the next load
 * failed with SERVING_LOAD_CONFLICT. A load told to stop stops between chunks, abandons its version and releases the
 * lease.
 */
let platform: ServingPlatform;

beforeAll(async () => {
  platform = await servingPlatform();
  await publishServingFixture(platform, { businessDate: '2026-11-25', customers: fixtureCustomers(600), segmentMetrics: [{ month: '2026-11', segment: 'MASS', customers: 600 }] });
});
afterAll(() => platform.close());

describe('loadServingStore with a signal', () => {
  it('stops between chunks when the signal fires: version abandoned, pointer unmoved, lease released for the next load', async () => {
    // Prepare: Ctrl-C arrives while the second round of batch writes is under way.
    const controller = new AbortController();
    const store = interceptStore(platform.runtime.keyValueStore, {
      beforeBatchPut: (_items, call) => {
        if (call === 2) controller.abort(new CancelledError('stopped by SIGINT'));
      },
    });

    // Act
    const stopped = await loadServingStore({ ...platform.loadDeps, store }, { chunkSize: 100, writeConcurrency: 1, signal: controller.signal }).catch((error: unknown) => error);

    // Assess
    expect(stopped).toMatchObject({ code: 'CANCELLED' });
    const lease = await platform.runtime.keyValueStore.get('serving', SERVING_KEYS.lease);
    expect(Number(lease?.['expiresAt'])).toBeLessThanOrEqual(Date.now());
    expect(await platform.runtime.keyValueStore.get('serving', SERVING_KEYS.pointer)).toBeUndefined();
    const versions = (await platform.runtime.keyValueStore.query('serving', SERVING_KEYS.versionsPk)).items;
    expect(versions.map((item) => item['status'])).toEqual(['abandoned']);

    // The next load takes the lease at once and serves.
    const next = await loadServingStore(platform.loadDeps);
    expect(next.customers).toBe(600);
    expect((await new ServingStore(platform.runtime.keyValueStore, { pointerTtlMs: 0 }).current()).version).toBe(next.version);
  });

  it('does not start when the signal has already fired', async () => {
    const controller = new AbortController();
    controller.abort(new CancelledError('stopped by SIGTERM'));
    await expect(loadServingStore(platform.loadDeps, { signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED', message: 'stopped by SIGTERM' });
  });
});
