import { createHash } from 'node:crypto';
import type { Zone } from '@cur/contracts';
import type { BlobStore } from '@cur/platform';
import { CurError } from '@cur/platform';
import type { Manifest } from './manifest';

/** Checks that a manifest's files still hold the bytes it published. */
export type ContentVerifier = (manifest: Manifest) => Promise<void>;

/**
 * A verifier that hashes a manifest's files (in the order it lists them) through the zone's blob store and compares
 * the digest with the manifest's `contentSha256`, so a file changed after publication (by hand, by a query that
 * should not have written, by a half-copied restore) is never read as if it were the published one.
 *
 * A file is hashed once per process while its size and modification time stay the same; a change to either hashes
 * it again.
 *
 * @param storeOf - the blob store of a zone (raw, transformed, consumption, mart)
 * @throws CurError `CONTENT_MISMATCH` naming the zone, dataset, business date and object key, never content
 * @example
 * const manifests = new ManifestStore(system, { verify: createContentVerifier((zone) => runtime.blobStore(zone)) });
 */
export function createContentVerifier(storeOf: (zone: Zone) => BlobStore): ContentVerifier {
  const verified = new Map<string, string>();
  return async function verifyContent(manifest: Manifest): Promise<void> {
    const store = storeOf(manifest.zone);
    const infos = await Promise.all(manifest.files.map((key) => store.head(key)));
    const missing = manifest.files.find((_key, index) => infos[index] === undefined);
    if (missing !== undefined) throw mismatch(manifest, missing, 'is missing');
    const fingerprint = `${manifest.contentSha256}|${infos.map((info) => `${info?.key}:${info?.size}:${info?.lastModified.getTime()}`).join('|')}`;
    const cacheKey = `${manifest.zone}/${manifest.dataset}/${manifest.businessDate}`;
    if (verified.get(cacheKey) === fingerprint) return;
    const hash = createHash('sha256');
    for (const key of manifest.files) for await (const chunk of await store.getStream(key)) hash.update(chunk as Buffer);
    if (hash.digest('hex') !== manifest.contentSha256) throw mismatch(manifest, manifest.files.join(', '), 'no longer holds the bytes its manifest published');
    verified.set(cacheKey, fingerprint);
  };
}

function mismatch(manifest: Manifest, key: string, what: string): CurError {
  return new CurError(
    'CONTENT_MISMATCH',
    `${manifest.zone}.${manifest.dataset} for ${manifest.businessDate}: ${key} ${what}; it is not read. ${
      manifest.zone === 'raw'
        ? 'Raw is the only masked copy of the batch: restore the object from the bucket\'s versions or backup'
        : `Rebuild it from the zone before: cur run --date ${manifest.businessDate}`
    }`,
    { details: { zone: manifest.zone, dataset: manifest.dataset, businessDate: manifest.businessDate } },
  );
}
