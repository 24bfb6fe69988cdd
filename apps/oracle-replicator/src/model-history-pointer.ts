import type { KeyValueStore } from '@cur/platform';
import type { PromotedModelSource } from '@cur/replication';

/**
 * The promoted model version, read from the model-history table's scoring pointer (`pk=scoring`, `sk=current`, as
 * libs/model-registry's `ModelHistory` writes it on promote and rollback), strongly consistent as the store reads.
 */
export function modelHistoryPointer(store: KeyValueStore): PromotedModelSource {
  return {
    async promotedVersion(): Promise<string | undefined> {
      const pointer = await store.get('model-history', { pk: 'scoring', sk: 'current' });
      const version = pointer?.['versionId'];
      return typeof version === 'string' ? version : undefined;
    },
  };
}
