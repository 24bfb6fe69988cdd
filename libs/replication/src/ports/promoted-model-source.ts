/**
 * The model version whose tags are current: the model history's scoring pointer (`cur model promote`, `rollback`).
 * The oracle-replicator and `cur replicate` read it from the model-history table.
 */
export interface PromotedModelSource {
  /** The promoted version's id, or undefined while none is promoted. */
  promotedVersion(): Promise<string | undefined>;
}
