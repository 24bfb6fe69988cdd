import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { CurError } from '@cur/platform';
import { MaskResultSchema, type MaskRequest, type MaskResult } from '../plan/mask-request';
import type { SparkMaskJobRunner } from './mask-step-on-spark';

/** Options of {@link oneShotSparkMaskJob}. */
export interface OneShotSparkMaskJobOptions {
  /** The workspace's Python (`.venv/bin/python`, made by `nx run python-env:setup`); see {@link findWorkspacePython}. */
  readonly python: string;
  /** An owner-only folder for the request file and Spark's own scratch files (its TMPDIR): a SYSTEM scratch folder. */
  readonly workDir: string;
  /**
   * Secrets the job reads from its environment, e.g. `{ CUR_KEY_SERVICE_TOKEN: keys.credential }`: given to the child
   * process only, never on its command line or in a file.
   */
  readonly secrets: Readonly<Record<string, string>>;
  /** Receives the child's stderr (the JVM's own lines); by default it is read and dropped. Tests scan it for values. */
  readonly onStderr?: (text: string) => void;
}

const JobLineSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('succeeded'), result: MaskResultSchema }),
  z.object({ status: z.literal('failed'), error: z.object({ type: z.string(), code: z.string(), message: z.string() }) }),
]);

/**
 * The Spark mask job run once per request, as Glue runs a job: `python -m cur_spark.jobs.mask --request FILE` in a
 * new process (one JVM per batch; a long-lived Spark process can take its place behind the same port). The job's
 * coded failure becomes a `CurError` with its code and value-free message; its stderr (Spark's and the JVM's own
 * output) is never put in an error.
 *
 * @example
 * const keys = await startLoopbackKeyService({ service });
 * const runMaskJob = oneShotSparkMaskJob({ python: findWorkspacePython(), workDir, secrets: { [KEY_SERVICE_TOKEN_ENV]: keys.credential } });
 */
export function oneShotSparkMaskJob(options: OneShotSparkMaskJobOptions): SparkMaskJobRunner {
  return async (request: MaskRequest): Promise<MaskResult> => {
    if (!existsSync(options.python)) throw new CurError('SPARK_UNAVAILABLE', `no Python at ${options.python}: run npx nx run python-env:setup`);
    await mkdir(options.workDir, { recursive: true, mode: 0o700 });
    const dir = await mkdtemp(join(options.workDir, 'mask-job-'));
    try {
      const file = join(dir, 'mask-request.json');
      await writeFile(file, JSON.stringify(request), { mode: 0o600 });
      const { code, stdout } = await run(options.python, ['-m', 'cur_spark.jobs.mask', '--request', file], { ...process.env, TMPDIR: dir, ...options.secrets }, options.onStderr);
      const line = stdout.split('\n').filter((text) => text.startsWith('{')).at(-1);
      const parsed = line === undefined ? undefined : JobLineSchema.safeParse(JSON.parse(line));
      if (parsed?.success && parsed.data.status === 'failed') throw new CurError(parsed.data.error.code, `Spark mask job: ${parsed.data.error.message}`);
      if (parsed?.success && parsed.data.status === 'succeeded' && code === 0) return parsed.data.result;
      throw new CurError('SPARK_JOB_FAILED', `the Spark mask job of ${request.dataset} for ${request.businessDate} exited ${String(code)} without a result line`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}

/**
 * The workspace's Python environment (`.venv/bin/python` beside `uv.lock`), looked for from `start` upwards.
 *
 * @throws CurError SPARK_UNAVAILABLE naming `nx run python-env:setup` when there is none
 */
export function findWorkspacePython(start: string = process.cwd()): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const python = join(dir, '.venv', 'bin', 'python');
    if (existsSync(join(dir, 'uv.lock')) && existsSync(python)) return python;
    if (dirname(dir) === dir) throw new CurError('SPARK_UNAVAILABLE', `no workspace Python environment above ${start}: run npx nx run python-env:setup`);
  }
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv, onStderr?: (text: string) => void): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    // Never put in an error: the JVM's own lines (Spark's log is off while the job masks, but they are not ours to show).
    if (onStderr) child.stderr.setEncoding('utf8').on('data', onStderr);
    else child.stderr.resume();
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
}
