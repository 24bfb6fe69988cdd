import { chmod, mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Mode of every file the local adapters write in the state folder: owner read/write only. Given on create, so the
 * process umask can only take bits away, never add group or other access.
 * @internal
 */
export const PRIVATE_FILE_MODE = 0o600;

/** Mode of every folder the local adapters create in the state folder: owner only. @internal */
export const PRIVATE_DIR_MODE = 0o700;

/** Bits that give anyone but the owner access. */
const GROUP_OTHER_BITS = 0o077;

/**
 * Creates a folder (and its missing parents) as owner-only; an existing folder that grants group or other access is
 * narrowed to owner-only, whatever the umask was when it was made.
 * @internal
 */
export async function makePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const info = await stat(dir);
  if ((info.mode & GROUP_OTHER_BITS) !== 0) await chmod(dir, info.mode & ~GROUP_OTHER_BITS & 0o7777);
}

/**
 * Takes group and other access away from every file and folder under `dir` (and `dir` itself): for files a
 * third-party writer creates with its own mode, such as dynalite's LevelDB files. A missing folder is left alone.
 * @internal
 */
export async function narrowToOwner(dir: string): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const paths = [dir, ...entries.filter((entry) => entry.isFile() || entry.isDirectory()).map((entry) => join(entry.parentPath, entry.name))];
  for (const path of paths) {
    try {
      const info = await stat(path);
      if ((info.mode & GROUP_OTHER_BITS) !== 0) await chmod(path, info.mode & ~GROUP_OTHER_BITS & 0o7777);
    } catch (error) {
      // A file the writer removed meanwhile (LevelDB compaction) needs no narrowing.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}
