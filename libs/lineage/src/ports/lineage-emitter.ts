import type { MetadataChangeProposal } from '../types/metadata-change-proposal';

/** What an emitter did with a list of proposals: counts and the URNs it gave up on, never an aspect's content. */
export interface EmitResult {
  readonly sent: number;
  readonly failed: number;
  /** The entity URN and aspect name of each proposal not accepted after every attempt. */
  readonly failures: readonly { readonly entityUrn: string; readonly aspectName: string; readonly status?: number; readonly code: string }[];
}

/**
 * Sends lineage to a catalog. Implementations retry what is transient and report what they gave up on instead of
 * throwing, so lineage never blocks the pipeline that produced it.
 */
export interface LineageEmitter {
  emit(proposals: readonly MetadataChangeProposal[]): Promise<EmitResult>;
}
