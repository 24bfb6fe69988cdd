/** A tag in a served version: how many customers carry it, and what it means when the loader was told. */
export interface TagSummary {
  readonly name: string;
  readonly customers: number;
  readonly description?: string;
  readonly owner?: string;
}

/** A tag's declaration, as the pipeline's tag definitions give it to the loader. */
export interface TagCatalogEntry {
  readonly name: string;
  readonly description: string;
  readonly owner: string;
}

/** One loaded version of the serving store. */
export interface ServingVersion {
  readonly version: string;
  /** The business date of the consumption layer it was loaded from. */
  readonly asOf: string;
  readonly loadedAt: string;
  readonly customers: number;
  readonly tags: readonly TagSummary[];
  readonly segments: readonly string[];
  readonly months: readonly string[];
  /** The key version of the customer tokens, for detokenizing FF1 tokens (which carry none). */
  readonly customerTokenKeyVersion?: number;
  /** The manifests it was loaded from. */
  readonly sources: readonly string[];
}

/** A customer as the serving store holds it: masked values only, straight from the consumption layer. */
export interface CustomerRecord {
  readonly token: string;
  readonly asOf: string;
  readonly segment: string;
  readonly tags: readonly string[];
  /** The model-based tags among `tags`, each with the model version that gave it (`consumption.model_tags`). */
  readonly modelTags?: Readonly<Record<string, string>>;
  /** Every other column of `customer_features`, by column name. */
  readonly features: Readonly<Record<string, string | number | boolean | null>>;
}

/** A segment's metrics for one month, as `segment_metrics_monthly` holds them. */
export interface SegmentMetricsRecord {
  readonly segment: string;
  readonly month: string;
  /** The business date of the mart partition the month was read from. */
  readonly businessDate: string;
  /** Every other column of `segment_metrics_monthly`, by column name. */
  readonly metrics: Readonly<Record<string, string | number | boolean | null>>;
}

/** One page of the customers carrying a tag. */
export interface TagMembersPage {
  readonly version: ServingVersion;
  readonly tag: string;
  readonly tokens: readonly string[];
  /** Opaque; absent on the last page. */
  readonly nextCursor?: string;
}
