import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** The summed size of every file under `dir` (0 when it does not exist); files removed while counting count 0. */
export async function bytesUnder(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (entry.isFile()) total += await stat(join(entry.parentPath, entry.name)).then((info) => info.size, () => 0);
  }
  return total;
}
