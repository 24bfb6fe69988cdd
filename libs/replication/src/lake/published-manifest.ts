/**
 * What the replicator needs of a published partition's manifest (libs/lake's `Manifest` has these and more): which
 * files make up the partition, and how many rows they hold.
 */
export interface PublishedManifest {
  readonly dataset: string;
  readonly zone: string;
  readonly businessDate: string;
  /** The pipeline run that published it: model tags are current only when scored in the features' run. */
  readonly runId: string;
  readonly files: readonly string[];
  readonly rowCount: number;
}

/**
 * Finds a partition's manifest: libs/lake's `ManifestStore`, given a content verifier so that every manifest handed
 * out has been checked against its files' bytes.
 */
export interface ManifestSource {
  get(zone: string, dataset: string, businessDate: string): Promise<PublishedManifest | undefined>;
}
