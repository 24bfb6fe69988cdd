import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { BlobStore } from '@cur/platform';
import type { ReplicaTable, ReplicatedZone } from '../replica-tables';
import type { ManifestSource, PublishedManifest } from './published-manifest';

/**
 * Reads the rows of a published partition straight from its Parquet files, in JavaScript (hyparquet, with the
 * ZSTD, Snappy and gzip codecs DuckDB and Spark write): the same code in a Lambda, which has no DuckDB, and on a
 * laptop. Files are found only through their manifest; give the manifest store a content verifier and every file
 * read has first been checked against the manifest's hash.
 */
export class PublishedPartitionReader {
  readonly #manifests: ManifestSource;
  readonly #buckets: (zone: ReplicatedZone) => BlobStore;

  /**
   * @param manifests - the system bucket's manifests: a `ManifestStore` with a content verifier, so no changed file is read
   * @param buckets - the bucket of each replicated zone
   */
  constructor(manifests: ManifestSource, buckets: (zone: ReplicatedZone) => BlobStore) {
    this.#manifests = manifests;
    this.#buckets = buckets;
  }

  /** The manifest of a table's partition for a business date, or undefined when the date is not published. */
  manifest(table: ReplicaTable, businessDate: string): Promise<PublishedManifest | undefined> {
    return this.#manifests.get(table.zone, table.dataset.name, businessDate);
  }

  /** The partition's rows, keyed by the Parquet column names (the contract's, `business_date` included). */
  async *rows(table: ReplicaTable, manifest: PublishedManifest): AsyncIterable<Record<string, unknown>> {
    const bucket = this.#buckets(table.zone);
    for (const key of manifest.files) {
      const bytes = await bucket.get(key);
      const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      yield* await parquetReadObjects({ file, compressors });
    }
  }
}
