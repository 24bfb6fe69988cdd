import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** The real `cur` executable, as `npx cur` runs it after `npm ci`. */
export const CUR_BIN = fileURLToPath(new URL('../../bin/cur.js', import.meta.url));

/** What one run of the real executable printed and exited with. */
export interface CurBinRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/**
 * Runs the real `cur` executable in a child process with `CUR_HOME` set, so exit codes, signals and the process's
 * umask are the ones a user gets. The child inherits this process's environment otherwise.
 */
export async function runCurBin(args: readonly string[], home: string): Promise<CurBinRun> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CUR_BIN, ...args], { env: { ...process.env, CUR_HOME: home }, encoding: 'utf8' });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}
