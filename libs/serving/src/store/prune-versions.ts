import type { KeyValueStore } from '@cur/platform';
import { queryPartition } from '@cur/platform';
import { SERVING_KEYS } from './serving-keys';
import { PointerSchema, VersionItemSchema } from './serving-items';

const TABLE = 'serving';

/** Options of {@link pruneServingVersions}. */
export interface PruneOptions {
  /** Deletes in flight at once. @default 16 */
  readonly concurrency?: number;
}

/**
 * Deletes the versions of the serving store that are neither served nor the previous one: their tag pages,
 * segment metrics and registry item (the registry item last, so a half-pruned version is finished by the next
 * prune). Customer items are not deleted: they sit in slots the next loads overwrite, stamped with the version that
 * wrote them, so a reader never takes one for another version's. Called by each load after its flip, under its
 * lease; a version still `loading` then belongs to a load that failed.
 *
 * @returns the versions deleted
 */
export async function pruneServingVersions(store: KeyValueStore, options: PruneOptions = {}): Promise<string[]> {
  const pointerItem = await store.get(TABLE, SERVING_KEYS.pointer);
  const pointer = pointerItem ? PointerSchema.parse(pointerItem) : undefined;
  const kept = new Set([pointer?.version, pointer?.previous].filter((v): v is string => v !== undefined));
  const doomed = (await queryPartition(store, TABLE, SERVING_KEYS.versionsPk)).map((item) => VersionItemSchema.parse(item)).filter((v) => !kept.has(v.version));
  for (const version of doomed) {
    const partitions = [...version.tags.map((tag) => SERVING_KEYS.tagPk(tag.name, version.version)), ...version.segments.map((segment) => SERVING_KEYS.segmentMetricsPk(segment, version.version))];
    for (const pk of partitions) {
      const items = await queryPartition(store, TABLE, pk);
      await forEachLimit(items, options.concurrency ?? 16, (item) => store.delete(TABLE, { pk: item.pk, sk: item.sk }));
    }
    await store.delete(TABLE, SERVING_KEYS.version(version.version));
  }
  return doomed.map((v) => v.version);
}

async function forEachLimit<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  });
  await Promise.all(lanes);
}
