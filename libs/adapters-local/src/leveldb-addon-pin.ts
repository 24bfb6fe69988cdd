import { createRequire } from 'node:module';

let pinned: string | undefined;

/**
 * Loads LevelDB's native addon (classic-level, under dynalite) on this thread and keeps it loaded for the life of the
 * process; returns the addon's package folder.
 *
 * Why: Node unloads (dlclose) an addon a worker thread loaded when that thread ends. LevelDB starts a background
 * compaction thread that is never stopped (google/leveldb#863), so once the local DynamoDB server's thread ended, that
 * thread ran unmapped code: the intermittent SIGSEGV of a `cur` process, or a test worker, after its runtime closed.
 * A load here holds the library mapped whatever the server's thread does.
 *
 * Only the local DynamoDB server calls this, through `createRequire` from dynalite's own path, so no bundle ever
 * carries or needs the addon.
 *
 * @param dynalitePath - dynalite's resolved entry file (the addon is resolved as dynalite resolves it: through `level`)
 */
export function pinLevelDbAddon(dynalitePath: string): string {
  if (pinned !== undefined) return pinned;
  const fromDynalite = createRequire(dynalitePath);
  const classicLevelEntry = createRequire(fromDynalite.resolve('level')).resolve('classic-level');
  // binding.js is node-gyp-build's loader: it dlopens the prebuilt addon and nothing else.
  createRequire(classicLevelEntry)('./binding.js');
  pinned = classicLevelEntry.slice(0, classicLevelEntry.lastIndexOf('/'));
  return pinned;
}
