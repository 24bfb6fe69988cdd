import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { LandingSink } from '../ports/landing-sink';

/**
 * A {@link LandingSink} that writes files into a folder (created when missing). Each file is first written as a
 * hidden `.<name>.partial` file and renamed into place once complete, so a process watching the folder never sees
 * a half-written data file, and a control file only ever appears after its data file.
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
      ready ??= mkdir(directory, { recursive: true });
      await ready;
      const target = join(directory, fileName);
      const partial = join(directory, `.${fileName}.partial`);
      try {
        await pipeline(chunks, createWriteStream(partial));
        await rename(partial, target);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
    },
  };
}
