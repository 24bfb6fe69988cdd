import type { Role } from '@cur/contracts';
import { ROLES, isRole } from '@cur/contracts';
import type { PlatformConfig } from '@cur/platform';
import { ValidationError, loadPlatformConfig } from '@cur/platform';
import type { Runtime } from '@cur/runtime';
import { createRuntime } from '@cur/runtime';
import type { Output } from './output/console-output';

/** The global options every `cur` command takes. */
export interface GlobalOptions {
  readonly role?: string;
  readonly home?: string;
}

/** What a command runs with: who it acts as, the configuration, where to write. */
export interface CliContext {
  readonly role: Role;
  readonly config: PlatformConfig;
  readonly output: Output;
  /** Runs `work` with a runtime and always closes it (stops the local DynamoDB server). */
  withRuntime<T>(work: (runtime: Runtime) => Promise<T>): Promise<T>;
}

/**
 * Builds the context of one command from the global options and the environment.
 *
 * @throws ValidationError when `--role` is not a role
 */
export function createCliContext(options: GlobalOptions, output: Output, env: NodeJS.ProcessEnv = process.env): CliContext {
  const role = options.role ?? 'DE';
  if (!isRole(role)) {
    throw new ValidationError(`--role must be one of ${ROLES.join(', ')}`);
  }
  const config = loadPlatformConfig(options.home === undefined ? env : { ...env, CUR_HOME: options.home });
  return {
    role,
    config,
    output,
    withRuntime: async (work) => {
      const runtime = await createRuntime(config);
      try {
        return await work(runtime);
      } finally {
        await runtime.close();
      }
    },
  };
}
