/**
 * The lake's zones, in the order data flows through them.
 * `landing` is transient and SYSTEM-only (plaintext); every later zone holds masked data only.
 */
export const ZONES = ['landing', 'raw', 'transformed', 'consumption', 'mart'] as const;

/** One zone of the lake. */
export type Zone = (typeof ZONES)[number];

/** What each zone holds, for catalogs, docs and `cur --help`. */
export const ZONE_DESCRIPTIONS: Readonly<Record<Zone, string>> = {
  landing: 'transient drop zone for on-premises extracts; SYSTEM only, plaintext, deleted once masked',
  raw: 'masked, immutable copies of each batch as Parquet, partitioned by business date',
  transformed: 'typed, cleaned and conformed data (ROC dates to ISO, full-width to half-width, de-duplicated)',
  consumption: 'customer features, tags and segments (the DRV tables)',
  mart: 'aggregated metrics for analysts and applications',
};

/** Zones that human roles may ever read. Landing is never among them. */
export const HUMAN_READABLE_ZONES: readonly Zone[] = ZONES.filter((zone) => zone !== 'landing');
