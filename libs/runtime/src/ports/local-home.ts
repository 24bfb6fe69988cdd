import { chmod, mkdir, stat } from 'node:fs/promises';

/**
 * Creates the local state folder owner-only, or takes group and other access away from an existing one. Every local
 * port factory calls it first, so whichever a process wires, nothing under the folder is reachable by other users.
 *
 * @internal
 */
export async function makeOwnerOnly(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { mode } = await stat(dir);
  if ((mode & 0o077) !== 0) await chmod(dir, mode & 0o700);
}

/** @internal */
export function memo<K, V>(cache: Map<K, V>, key: K, make: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}
