import type { Role } from '@cur/contracts';
import { ROLES, isRole } from '@cur/contracts';
import type { PlatformConfig } from '@cur/platform';
import { loadPlatformConfig } from '@cur/platform';
import type { Runtime } from '@cur/runtime';
import { createRuntime } from '@cur/runtime';
import type { Output } from './output/console-output';
import { EXIT_CODES, ExitStatus } from './process/exit-codes';
import { processInterrupts, type Interrupts } from './process/interrupts';
import { UsageError } from './process/usage-error';
import { releaseScratchArea } from './pipeline-wiring';

/** The global options every `cur` command takes. */
export interface GlobalOptions {
  readonly role?: string;
  readonly home?: string;
}

/** How a command that did not throw ended, if not plainly well. */
export type CommandOutcome =
  /** The work failed (a pipeline run ended `failed`): exit 1. */
  | 'failed'
  /** Some batches were refused or quarantined: exit 3. */
  | 'batches-refused'
  /** Stopped by Ctrl-C or SIGTERM at a safe point: exit 130 or 143. */
  | 'cancelled';

/** What one `cur` invocation shares across its commands: how it ends, and the signals that stop it. */
export interface CliSession {
  readonly status: ExitStatus;
  readonly interrupts: Interrupts;
}

/** What a command runs with: who it acts as, the configuration, where to write. */
export interface CliContext {
  readonly role: Role;
  readonly config: PlatformConfig;
  readonly output: Output;
  /**
   * Aborted on the first Ctrl-C or SIGTERM (reading it starts listening for them): long commands pass it down, stop
   * at their next safe point, say how to resume and report `cancelled`.
   */
  readonly signal: AbortSignal;
  /** Records how the command ended when it does not throw; `main` exits with the code (see `EXIT_CODES`). */
  report(outcome: CommandOutcome): void;
  /** Runs `work` with a runtime and always closes it (stops the local DynamoDB server). */
  withRuntime<T>(work: (runtime: Runtime) => Promise<T>): Promise<T>;
}

/**
 * Builds the context of one command from the global options and the environment.
 *
 * @throws UsageError when `--role` is not a role
 */
export function createCliContext(
  options: GlobalOptions,
  output: Output,
  env: NodeJS.ProcessEnv = process.env,
  session: CliSession = { status: new ExitStatus(), interrupts: processInterrupts(output) },
): CliContext {
  const role = options.role ?? 'DE';
  if (!isRole(role)) {
    throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  }
  const config = loadPlatformConfig(options.home === undefined ? env : { ...env, CUR_HOME: options.home });
  return {
    role,
    config,
    output,
    get signal() {
      return session.interrupts.signal;
    },
    report: (outcome) =>
      session.status.report(outcome === 'failed' ? EXIT_CODES.FAILURE : outcome === 'batches-refused' ? EXIT_CODES.BATCHES_REFUSED : (session.interrupts.exitCode ?? EXIT_CODES.INTERRUPTED)),
    withRuntime: async (work) => {
      const runtime = await createRuntime(config);
      try {
        return await work(runtime);
      } finally {
        releaseScratchArea(runtime);
        await runtime.close();
      }
    },
  };
}
