import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { CancelledError, CurError } from '@cur/platform';

/** Codes of the Spark process client's own failures (an answer's error keeps the server's code). */
export const SPARK_PROCESS_ERROR_CODES = {
  /** The Python interpreter could not be started (missing, not executable). */
  SPARK_PROCESS_START_FAILED: 'SPARK_PROCESS_START_FAILED',
  /** The process ended while a request waited for its answer, or before one was sent. */
  SPARK_PROCESS_EXITED: 'SPARK_PROCESS_EXITED',
  /** An answer line was not the protocol's JSON, or answered another request. */
  SPARK_PROCESS_PROTOCOL: 'SPARK_PROCESS_PROTOCOL',
  /** A request after `close()` or `kill()`. */
  SPARK_PROCESS_CLOSED: 'SPARK_PROCESS_CLOSED',
} as const;

/** How `cur_spark.jobs.serve` answers one request (see libs/spark-runner/src/cur_spark/server.py). */
const AnswerSchema = z.discriminatedUnion('ok', [
  z.object({ id: z.union([z.string(), z.number()]), ok: z.literal(true), result: z.unknown() }),
  z.object({ id: z.union([z.string(), z.number()]).nullable(), ok: z.literal(false), error: z.object({ code: z.string().min(1), message: z.string() }) }),
]);

/** Options of {@link SparkProcess}. */
export interface SparkProcessOptions {
  /** The Python interpreter of the environment that has `cur_spark` and pyspark (the workspace's `.venv/bin/python`). */
  readonly python: string;
  /** Spark's scratch folder (`--work-dir`): the state folder's SYSTEM scratch area locally, never the OS temp. */
  readonly workDir: string;
  /** @default `['-m', 'cur_spark.jobs.serve']`: the module that serves requests */
  readonly module?: string;
  /** @default the current environment */
  readonly env?: NodeJS.ProcessEnv;
  /** Receives each line the process logs on stderr (ids, kinds, codes, durations). @default dropped */
  readonly onLog?: (line: string) => void;
  /** Kills the process when it fires (Ctrl-C, SIGTERM): a request under way rejects with a `CancelledError`. */
  readonly signal?: AbortSignal;
  /** How long `close()` waits for a clean exit before SIGTERM, and `kill()` after SIGTERM before SIGKILL. @default 15 s */
  readonly stopTimeoutMs?: number;
}

interface Pending {
  readonly id: number;
  readonly kind: string;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
}

/**
 * The client of one long-lived Spark process (`python -m cur_spark.jobs.serve`): one SparkSession (one JVM) for a
 * whole run, however many plans it runs. Started lazily by the first request; requests are sent one at a time, each
 * as one JSON line (`{"id", "kind", ...fields}`), and each answer is read back as one JSON line. An answer with
 * `ok: false` rejects with a `CurError` carrying the server's code and message. The process runs in its own process
 * group, so a terminal's Ctrl-C reaches only the CLI, which decides: `signal` kills it, and so does `kill()`;
 * `close()` ends it cleanly (end of input) at the end of a run.
 *
 * @example
 * const spark = new SparkProcess({ python: '.venv/bin/python', workDir: '.cur/system-scratch/spark', signal });
 * try {
 *   const result = await spark.request('plan', { plan });
 * } finally {
 *   await spark.close();
 * }
 */
export class SparkProcess {
  readonly #options: SparkProcessOptions;
  #child: ChildProcessWithoutNullStreams | undefined;
  #exited: Promise<void> | undefined;
  #exitDescription: string | undefined;
  #pending: Pending | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #nextId = 1;
  #closed = false;
  readonly #onAbort = (): void => void this.kill();

  constructor(options: SparkProcessOptions) {
    this.#options = options;
    options.signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** The process id once started. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /**
   * Sends one request and resolves with its answer's `result`. Requests wait for the one before to be answered.
   *
   * @param kind - the server's handler (`plan`, ...)
   * @param fields - the request's own fields (`{ plan }`); `id` and `kind` are set here
   * @throws CurError the server's code (`PLAN_EXECUTION_FAILED`, `SPARK_UNAVAILABLE`, ...) or a `SPARK_PROCESS_*` one;
   *   `CancelledError` once `signal` fired
   */
  request(kind: string, fields: Readonly<Record<string, unknown>>): Promise<unknown> {
    const next = this.#queue.then(() => this.#send(kind, fields));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Ends the process cleanly: end of input once the requests sent are answered, SIGTERM then SIGKILL if it lingers. */
  async close(): Promise<void> {
    this.#options.signal?.removeEventListener('abort', this.#onAbort);
    if (this.#closed) return this.#exited;
    this.#closed = true;
    await this.#queue;
    const child = this.#child;
    if (child === undefined || this.#exited === undefined) return;
    child.stdin.end();
    if (await settlesWithin(this.#exited, this.#stopTimeout())) return;
    await this.#terminate(child);
  }

  /** Stops the process now (SIGTERM, then SIGKILL): a request under way rejects. */
  async kill(): Promise<void> {
    this.#closed = true;
    const child = this.#child;
    const pending = this.#pending;
    if (pending) {
      this.#pending = undefined;
      pending.reject(this.#options.signal?.aborted ? cancelled(this.#options.signal) : closedError(`the Spark process was stopped while request ${pending.id} (${pending.kind}) ran`));
    }
    if (child === undefined || this.#exited === undefined) return;
    child.stdin.end();
    await this.#terminate(child);
  }

  #stopTimeout(): number {
    return this.#options.stopTimeoutMs ?? 15_000;
  }

  async #terminate(child: ChildProcessWithoutNullStreams): Promise<void> {
    const exited = this.#exited ?? Promise.resolve();
    if (child.exitCode === null && child.signalCode === null) signalGroup(child, 'SIGTERM');
    if (await settlesWithin(exited, this.#stopTimeout())) return;
    // The whole group: a JVM left behind by a killed Python would hold its pipes open, and 'close' would never come.
    signalGroup(child, 'SIGKILL');
    await exited;
  }

  async #send(kind: string, fields: Readonly<Record<string, unknown>>): Promise<unknown> {
    if (this.#options.signal?.aborted) throw cancelled(this.#options.signal);
    if (this.#closed) throw closedError(`the Spark process is closed; request ${kind} was not sent`);
    const child = await this.#start();
    if (this.#exitDescription !== undefined) throw exitedError(`the Spark process ${this.#exitDescription} before request ${kind} was sent`);
    const id = this.#nextId++;
    return new Promise<unknown>((resolve, reject) => {
      this.#pending = { id, kind, resolve, reject };
      child.stdin.write(`${JSON.stringify({ ...fields, id, kind })}\n`);
    });
  }

  async #start(): Promise<ChildProcessWithoutNullStreams> {
    if (this.#child) return this.#child;
    const { python, workDir } = this.#options;
    // Owner-only, and the process's temp folder too (PySpark's gateway files), so nothing goes to the OS temp.
    await mkdir(workDir, { recursive: true, mode: 0o700 });
    if (this.#child) return this.#child;
    // Killed while the folder was being made: start nothing that nobody would stop.
    if (this.#options.signal?.aborted) throw cancelled(this.#options.signal);
    if (this.#closed) throw closedError('the Spark process was stopped before it started');
    const child = spawn(python, ['-m', this.#options.module ?? 'cur_spark.jobs.serve', '--work-dir', workDir], {
      env: { ...(this.#options.env ?? process.env), TMPDIR: workDir },
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group: the terminal's Ctrl-C goes to the CLI, which kills this process itself.
      detached: true,
    });
    this.#child = child;
    return new Promise<ChildProcessWithoutNullStreams>((resolve, reject) => {
      child.once('spawn', () => resolve(child));
      child.once('error', (error: NodeJS.ErrnoException) => {
        this.#exitDescription = `could not start (${error.code ?? error.name})`;
        const failure = new CurError(SPARK_PROCESS_ERROR_CODES.SPARK_PROCESS_START_FAILED, `the Spark process could not start: ${python} (${error.code ?? error.name}); run npx nx run python-env:setup`, { cause: error });
        this.#failPending(failure);
        reject(failure);
      });
      this.#exited = new Promise((exited) =>
        child.once('close', (code, signal) => {
          this.#exitDescription ??= `exited (${signal ?? `code ${code}`})`;
          this.#failPending(exitedError(`the Spark process ${this.#exitDescription} while request ${this.#pending?.id ?? '-'} (${this.#pending?.kind ?? 'none'}) waited for its answer`));
          exited();
        }),
      );
      // Writing to a process that just died fails with EPIPE; its 'close' reports why, to the request waiting.
      child.stdin.on('error', () => undefined);
      createInterface({ input: child.stdout }).on('line', (line) => this.#answer(line));
      createInterface({ input: child.stderr }).on('line', (line) => this.#options.onLog?.(line));
    });
  }

  #answer(line: string): void {
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending === undefined) return;
    let parsed: z.infer<typeof AnswerSchema>;
    try {
      parsed = AnswerSchema.parse(JSON.parse(line));
    } catch {
      // Never the line itself: the protocol is broken, its content is unknown.
      pending.reject(new CurError(SPARK_PROCESS_ERROR_CODES.SPARK_PROCESS_PROTOCOL, `the Spark process answered request ${pending.id} (${pending.kind}) with a line that is not a protocol answer (${line.length} characters)`));
      return;
    }
    if (parsed.ok) {
      if (parsed.id !== pending.id) pending.reject(new CurError(SPARK_PROCESS_ERROR_CODES.SPARK_PROCESS_PROTOCOL, `the Spark process answered request ${String(parsed.id)} while request ${pending.id} (${pending.kind}) waited`));
      else pending.resolve(parsed.result);
      return;
    }
    pending.reject(new CurError(parsed.error.code, parsed.error.message, { details: { kind: pending.kind } }));
  }

  #failPending(error: Error): void {
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending === undefined) return;
    pending.reject(this.#options.signal?.aborted ? cancelled(this.#options.signal) : error);
  }
}

/** Signals the process's group (it leads one: spawned detached), so Spark's JVM goes with it; the process alone if the group is gone. */
function signalGroup(child: ChildProcessWithoutNullStreams, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) {
      process.kill(-child.pid, signal);
      return;
    }
  } catch {
    // No such group any more: fall through to the process itself.
  }
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}

function cancelled(signal: AbortSignal): CancelledError {
  const reason: unknown = signal.reason;
  return reason instanceof CancelledError ? reason : new CancelledError('cancelled: the Spark process was stopped', { cause: reason });
}

function closedError(message: string): CurError {
  return new CurError(SPARK_PROCESS_ERROR_CODES.SPARK_PROCESS_CLOSED, message);
}

function exitedError(message: string): CurError {
  return new CurError(SPARK_PROCESS_ERROR_CODES.SPARK_PROCESS_EXITED, message);
}

/** True when `promise` settles within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
