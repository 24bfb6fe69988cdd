import { z } from 'zod';
import { ZONES } from '@cur/contracts';
import type { BlobStore } from '@cur/platform';
import { isCurError } from '@cur/platform';
import type { ContentVerifier } from './content-verifier';

/**
 * A published output: which files make up a dataset's partition, how many rows, what they hash to, and what they
 * were made from. Readers only ever look at files a manifest names, so an output is visible whole or not at all.
 */
export const ManifestSchema = z.object({
  dataset: z.string(),
  zone: z.enum(ZONES),
  businessDate: z.iso.date(),
  step: z.string(),
  runId: z.string(),
  files: z.array(z.string()),
  rowCount: z.number().int().nonnegative(),
  /** SHA-256 (hex) of the files' bytes, read in the order `files` lists them. */
  contentSha256: z.string(),
  schemaSha256: z.string(),
  inputs: z.array(z.string()),
  counts: z.record(z.string(), z.number()).default({}),
  keyVersions: z.record(z.string(), z.number()).default({}),
  startedAt: z.string(),
  durationMs: z.number().nonnegative(),
});

/** A manifest. */
export type Manifest = z.infer<typeof ManifestSchema>;

/** The key of a partition's manifest in the system bucket. */
export function manifestKey(zone: string, dataset: string, businessDate: string): string {
  return `manifests/${zone}/${dataset}/business_date=${businessDate}.json`;
}

/** Options of {@link ManifestStore}. */
export interface ManifestStoreOptions {
  /**
   * Checks every manifest this store hands out against its files' bytes (see `createContentVerifier`): readers that
   * are given a manifest may trust its files. Writers that only publish need none.
   */
  readonly verify?: ContentVerifier;
}

/** Reads and writes manifests in the system bucket. */
export class ManifestStore {
  readonly #system: BlobStore;
  readonly #verify: ContentVerifier | undefined;

  constructor(system: BlobStore, options: ManifestStoreOptions = {}) {
    this.#system = system;
    this.#verify = options.verify;
  }

  /** Publishes a manifest: the moment its files become the partition's content. */
  async publish(manifest: Manifest): Promise<string> {
    const key = manifestKey(manifest.zone, manifest.dataset, manifest.businessDate);
    await this.#system.put(key, `${JSON.stringify(ManifestSchema.parse(manifest), null, 2)}\n`, { contentType: 'application/json' });
    return key;
  }

  get(zone: string, dataset: string, businessDate: string): Promise<Manifest | undefined> {
    return this.read(manifestKey(zone, dataset, businessDate));
  }

  /** The manifest at a key of the system bucket, or undefined when there is none. */
  async read(key: string): Promise<Manifest | undefined> {
    let manifest: Manifest;
    try {
      const bytes = await this.#system.get(key);
      manifest = ManifestSchema.parse(JSON.parse(Buffer.from(bytes).toString('utf8')));
    } catch (error) {
      if (isCurError(error, 'NOT_FOUND')) return undefined;
      throw error;
    }
    await this.#verify?.(manifest);
    return manifest;
  }

  /**
   * The published manifests of a dataset in a zone, oldest business date first; only those of business dates in
   * `range` (inclusive) are read, so a reader of one month never reads, nor verifies, the others.
   */
  async list(zone: string, dataset: string, range: { from?: string; to?: string } = {}): Promise<Manifest[]> {
    const manifests: Manifest[] = [];
    for (const key of await this.#keys(zone, dataset, range)) {
      const manifest = await this.read(key);
      if (manifest) manifests.push(manifest);
    }
    return manifests;
  }

  /** The manifest of the latest business date (at or before `to`), or undefined when there is none. */
  async latest(zone: string, dataset: string, range: { to?: string } = {}): Promise<Manifest | undefined> {
    const key = (await this.#keys(zone, dataset, range)).at(-1);
    return key === undefined ? undefined : this.read(key);
  }

  /** Whether a partition is published, without reading or verifying it. */
  async has(zone: string, dataset: string, businessDate: string): Promise<boolean> {
    return (await this.#system.head(manifestKey(zone, dataset, businessDate))) !== undefined;
  }

  async #keys(zone: string, dataset: string, range: { from?: string; to?: string }): Promise<string[]> {
    const keys: { key: string; businessDate: string }[] = [];
    for await (const info of this.#system.list(`manifests/${zone}/${dataset}/`)) {
      const businessDate = /business_date=(\d{4}-\d{2}-\d{2})\.json$/.exec(info.key)?.[1];
      if (businessDate === undefined) continue;
      if ((range.from !== undefined && businessDate < range.from) || (range.to !== undefined && businessDate > range.to)) continue;
      keys.push({ key: info.key, businessDate });
    }
    return keys.sort((a, b) => a.businessDate.localeCompare(b.businessDate)).map((entry) => entry.key);
  }
}
