import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { LandingSink } from '../ports/landing-sink';

/** Extracts hold (synthetic) personal data in plaintext: owner-only, whatever the umask. */
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/**
 * A {@link LandingSink} that writes files into a folder (created when missing). Each file is first written as a
 * hidden `.<name>.partial` file and renamed into place once complete, so a process watching the folder never sees
 * a half-written data file, and a control file only ever appears after its data file. The files are plaintext
 * extracts, so they are owner-only (0600), and a folder the sink creates is owner-only (0700); an existing folder is
 * left as it is (it may be the caller's working directory).
 *
 * @param directory - the target folder
 * @example
 * const summary = await generateLandingBatches({ customers: 1_000 }, writeToDirectory('/tmp/landing'));
 */
export function writeToDirectory(directory: string): LandingSink {
  let ready: Promise<unknown> | undefined;
  return {
    async write(fileName, chunks) {
      if (basename(fileName) !== fileName || fileName.startsWith('.')) {
        throw new RangeError('a landing file name must be a plain file name');
      }
      ready ??= mkdir(directory, { recursive: true, mode: DIR_MODE });
      await ready;
      const target = join(directory, fileName);
      const partial = join(directory, `.${fileName}.partial`);
      const out = createWriteStream(partial, { mode: FILE_MODE });
      try {
        await pipeline(chunks, out);
        await rename(partial, target);
      } catch (error) {
        // A stream destroyed before its file opened still opens (and creates) it, then closes: remove it after that.
        if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
        await rm(partial, { force: true });
        throw error;
      }
    },
  };
}
