import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Gives one vitest run a temp folder of its own and deletes it when the run ends, pass or fail. Tests create their
 * state folders, extracts and lakes with `mkdtemp(tmpdir(), ...)`; pointing TMPDIR here before the workers start
 * means those folders (and those of the binaries the tests spawn, which inherit the variable) go with the run instead
 * of piling up in the machine's /tmp: thousands of folders and many GB a day on a developer's machine.
 */
export default function setup(): () => void {
  const previous = process.env['TMPDIR'];
  const root = mkdtempSync(join(tmpdir(), 'cur-test-run-'));
  // As /tmp is: tests that run the CLI as another user (a read-only state folder) need tsx's cache in here.
  chmodSync(root, 0o1777);
  process.env['TMPDIR'] = root;
  return () => {
    if (previous === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previous;
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
}
