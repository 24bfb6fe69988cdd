/**
 * The key design of the one `serving` table (string `pk`, string `sk`, as every platform table).
 *
 * | item | pk | sk |
 * | --- | --- | --- |
 * | the pointer to the served version (and the one before it) | `serving` | `current` |
 * | the load lease: one load at a time | `serving` | `lease` |
 * | one version: status, slot, as-of date, tag counts, segments, months, sources | `versions` | `<version>` |
 * | a customer: tags, segment, features, as-of date, and the version that wrote it | `cust#<token>` | `slot#<0-2>` |
 * | a page of the tokens carrying a tag, in token order | `tag#<name>#v#<version>` | `page#<000000>` |
 * | a segment's metrics for a month | `metrics#segment#<id>#v#<version>` | `<YYYY-MM>` |
 *
 * Customer items are keyed by token (one `GetItem` per lookup) and rotate through three slots: a load writes the
 * slot that neither the served nor the previous version uses, and stamps each item with its version; a reader
 * reads the slot of the version the pointer names and ignores an item stamped with another version. So a load
 * never touches what readers read, and old customer items are overwritten rather than deleted. Everything else
 * carries its version in its key and is deleted when the version is pruned (a few items per tag and segment).
 *
 * @internal exported for the loader, the reader and their tests
 */
export const SERVING_KEYS = {
  pointer: { pk: 'serving', sk: 'current' },
  lease: { pk: 'serving', sk: 'lease' },
  versionsPk: 'versions',
  version: (version: string) => ({ pk: 'versions', sk: version }),
  customer: (token: string, slot: number) => ({ pk: `cust#${token}`, sk: `slot#${slot}` }),
  tagPk: (tag: string, version: string) => `tag#${tag}#v#${version}`,
  tagPage: (tag: string, version: string, page: number) => ({ pk: `tag#${tag}#v#${version}`, sk: `page#${String(page).padStart(6, '0')}` }),
  segmentMetricsPk: (segment: string, version: string) => `metrics#segment#${segment}#v#${version}`,
} as const;

/** Customer slots: the served version's, the previous version's, and the one a load writes. @internal */
export const CUSTOMER_SLOTS = 3;

/** Tokens per tag page item (about 11 KB, far below DynamoDB's 400 KB item limit). @internal */
export const TAG_PAGE_SIZE = 1000;

/**
 * A new version id: sortable by time, unique across loaders, e.g. `20261125-20261126T010203456Z-1a2b3c`.
 * @internal
 */
export function newVersionId(asOf: string, now: Date, random: string): string {
  return `${asOf.replaceAll('-', '')}-${now.toISOString().replace(/[-:.]/g, '')}-${random}`;
}
