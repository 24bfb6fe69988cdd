export { ManifestSchema, ManifestStore, manifestKey } from './manifest';
export type { Manifest, ManifestStoreOptions } from './manifest';
export { createContentVerifier } from './content-verifier';
export type { ContentVerifier } from './content-verifier';
