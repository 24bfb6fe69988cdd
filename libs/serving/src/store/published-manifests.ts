import { z } from 'zod';
import type { BlobStore } from '@cur/platform';
import { isCurError } from '@cur/platform';

/**
 * The fields of a pipeline manifest (`system/manifests/<zone>/<dataset>/business_date=<d>.json`) the loader reads.
 * The pipeline lib owns the format; this lib is masked-only and cannot link it, so it reads just what it needs and
 * lets the rest pass.
 */
export const PublishedManifestSchema = z.looseObject({
  dataset: z.string(),
  zone: z.string(),
  businessDate: z.iso.date(),
  files: z.array(z.string()),
  rowCount: z.number().int().nonnegative(),
  inputs: z.array(z.string()).default([]),
  keyVersions: z.record(z.string(), z.number()).default({}),
});

/** A published manifest, as far as the loader is concerned. */
export type PublishedManifest = z.infer<typeof PublishedManifestSchema> & { readonly key: string };

/** The key of a partition's manifest in the system bucket (the pipeline's layout). */
export function publishedManifestKey(zone: string, dataset: string, businessDate: string): string {
  return `manifests/${zone}/${dataset}/business_date=${businessDate}.json`;
}

/** Reads published manifests from the system bucket. @internal */
export class PublishedManifests {
  readonly #system: BlobStore;

  constructor(system: BlobStore) {
    this.#system = system;
  }

  async read(key: string): Promise<PublishedManifest | undefined> {
    try {
      const bytes = await this.#system.get(key);
      return { ...PublishedManifestSchema.parse(JSON.parse(Buffer.from(bytes).toString('utf8'))), key };
    } catch (error) {
      if (isCurError(error, 'NOT_FOUND')) return undefined;
      throw error;
    }
  }

  get(zone: string, dataset: string, businessDate: string): Promise<PublishedManifest | undefined> {
    return this.read(publishedManifestKey(zone, dataset, businessDate));
  }

  /** Every published manifest of a dataset in a zone, oldest business date first. */
  async list(zone: string, dataset: string): Promise<PublishedManifest[]> {
    const manifests: PublishedManifest[] = [];
    for await (const info of this.#system.list(`manifests/${zone}/${dataset}/`)) {
      const manifest = await this.read(info.key);
      if (manifest) manifests.push(manifest);
    }
    return manifests.sort((a, b) => a.businessDate.localeCompare(b.businessDate));
  }
}
