import { join } from 'node:path';
import type { Zone } from '@cur/contracts';
import type { BlobStore, PlatformConfig } from '@cur/platform';
import { makeOwnerOnly, memo } from './local-home';
import { captured, type PortFactoryOptions } from './port-factory-options';

/** Buckets beside the zones: where bad batches are kept, and the platform's own records (manifests, run logs). */
export const EXTRA_BUCKETS = ['quarantine', 'system'] as const;

/** A zone or an extra bucket. */
export type BucketName = Zone | (typeof EXTRA_BUCKETS)[number];

/** The blob stores of one process, one per bucket, and how to let go of their client. */
export interface BlobStores {
  /** The store of one bucket (locally `<home>/lake/<bucket>`, in AWS `<bucketPrefix>-<bucket>`). */
  get(bucket: BucketName): BlobStore;
  /** Where the local lake lives; `undefined` in AWS. */
  readonly localLakeDir: string | undefined;
  close(): Promise<void>;
}

/**
 * The `BlobStore` port wired alone (subpath `@cur/runtime/blob-store`): a folder per bucket locally, S3 in AWS.
 * Only the S3 client is loaded, so a Lambda that imports this and no other port factory bundles no other client.
 *
 * @example
 * const stores = await createBlobStores(loadPlatformConfig());
 * await stores.get('landing').put('x.txt', 'hello');
 */
export async function createBlobStores(config: PlatformConfig, options: PortFactoryOptions = {}): Promise<BlobStores> {
  const stores = new Map<BucketName, BlobStore>();
  if (config.mode === 'local') {
    await makeOwnerOnly(config.home);
    const { FsBlobStore } = await import('@cur/adapters-local/blob-store');
    const lakeDir = join(config.home, 'lake');
    return { localLakeDir: lakeDir, get: (bucket) => memo(stores, bucket, () => new FsBlobStore(lakeDir, bucket)), close: () => Promise.resolve() };
  }
  const [{ S3BlobStore }, { S3Client }] = await Promise.all([import('@cur/adapters-aws/blob-store'), import('@aws-sdk/client-s3')]);
  const s3 = captured(options, new S3Client({ region: config.region, ...(config.s3Endpoint ? { endpoint: config.s3Endpoint, forcePathStyle: true } : {}) }));
  return {
    localLakeDir: undefined,
    get: (bucket) => memo(stores, bucket, () => new S3BlobStore(s3, `${config.bucketPrefix}-${bucket}`)),
    close: () => {
      s3.destroy();
      return Promise.resolve();
    },
  };
}
