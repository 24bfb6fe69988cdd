export { ManifestSchema, ManifestStore, manifestKey } from './manifest';
export type { Manifest } from './manifest';
