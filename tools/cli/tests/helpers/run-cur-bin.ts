import { execFile, spawn } from 'node:child_process';
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
  /** The signal that ended the child, when one did (a crash or a kill), else null. */
  readonly signal?: NodeJS.Signals | null;
}

/**
 * Runs the real `cur` executable in a child process with `CUR_HOME` set, so exit codes, signals and the process's
 * umask are the ones a user gets. The child inherits this process's environment otherwise, plus `env`.
 */
export async function runCurBin(args: readonly string[], home: string, env: NodeJS.ProcessEnv = {}): Promise<CurBinRun> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CUR_BIN, ...args], { env: { ...process.env, ...env, CUR_HOME: home }, encoding: 'utf8' });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number; signal: NodeJS.Signals | null };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code, signal: failed.signal };
  }
}

/**
 * Runs the real `cur` executable with a `--json` command and parses what it printed; a failed run (or one that printed
 * nothing) fails the test with the exit code and stderr, not with a JSON syntax error.
 */
export async function runCurBinJson<T>(args: readonly string[], home: string): Promise<T> {
  const run = await runCurBin(args, home);
  if (run.code !== 0 || run.stdout.trim() === '') {
    throw new Error(`cur ${args.join(' ')} exited ${run.signal ? `on ${run.signal}` : run.code} with ${run.stdout.length} bytes on stdout; stderr:\n${run.stderr}`);
  }
  return JSON.parse(run.stdout) as T;
}

/** A running real `cur` executable: its output so far, a wait for a line, and its end. */
export interface RunningCur {
  /** The child's process ID. */
  readonly pid: number | undefined;
  readonly output: () => string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  kill(signal: NodeJS.Signals): void;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startCur(args: readonly string[], home: string): RunningCur {
  const child = spawn(process.execPath, [CUR_BIN, ...args], { env: { ...process.env, CUR_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    text += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return {
    pid: child.pid,
    output: () => text,
    kill: (signal) => child.kill(signal),
    exited,
    waitFor: (pattern, timeoutMs = 120_000) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (!pattern.test(text)) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no ${String(pattern)} within ${timeoutMs} ms; output so far:\n${text}`));
        }, timeoutMs);
        listeners.add(check);
        void exited.then(() => {
          if (!pattern.test(text)) {
            clearTimeout(timer);
            reject(new Error(`cur ended before ${String(pattern)}; output:\n${text}`));
          }
        });
        check();
      }),
  };
}
