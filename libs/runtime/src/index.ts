export { createRuntime, BUCKET_NAMES, EXTRA_BUCKETS } from './create-runtime';
export type { Runtime, BucketName } from './create-runtime';
