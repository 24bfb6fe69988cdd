import { chmod, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Owner-only: scratch files may hold plaintext (a Big5 batch's UTF-8 copy). */
const SCRATCH_DIR_MODE = 0o700;

/**
 * Empties a scratch folder, creating it owner-only when missing (and narrowing it when it is not): whatever is in a
 * run's scratch folder when the run starts was left by a run that was killed, and may be plaintext.
 *
 * @param dir - a folder that belongs to the pipeline alone (never the OS temp folder itself)
 */
export async function sweepScratchFolder(dir: string): Promise<void> {
  await ensureScratchFolder(dir);
  for (const entry of await readdir(dir)) await rm(join(dir, entry), { recursive: true, force: true });
}

/**
 * A new owner-only folder inside the scratch folder for one step's files; the step removes it in a `finally`.
 *
 * @param scratchDir - the run's scratch folder
 * @param prefix - names the step, e.g. `mask-`
 */
export async function makeStepScratch(scratchDir: string, prefix: string): Promise<string> {
  await ensureScratchFolder(scratchDir);
  // mkdtemp creates the folder 0700 whatever the umask.
  return mkdtemp(join(scratchDir, prefix));
}

/**
 * A run's scratch folder when none is given (Glue or Lambda: the worker's own local temp folder, gone with it): a fresh
 * owner-only folder under the OS temp folder, which the run removes when it ends.
 */
export function makeFallbackScratch(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'cur-run-'));
}

async function ensureScratchFolder(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: SCRATCH_DIR_MODE });
  const { mode } = await stat(dir);
  if ((mode & 0o077) !== 0) await chmod(dir, mode & SCRATCH_DIR_MODE);
}
