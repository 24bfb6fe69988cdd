import { CommanderError } from 'commander';
import { isCurError } from '@cur/platform';
import type { Output } from './output/console-output';
import { consoleOutput } from './output/console-output';
import { createProgram } from './create-program';

/**
 * Runs `cur` with the given argv and returns the exit code. Errors are printed with their code and message, never
 * with a stack trace or a data value; set POWERTOOLS_LOG_LEVEL=DEBUG for the structured log.
 */
export async function main(argv: readonly string[], output: Output = consoleOutput, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // Library code logs JSON through Powertools; on a terminal only warnings and errors are worth showing.
  env['POWERTOOLS_LOG_LEVEL'] ??= 'WARN';
  const program = createProgram(output, env);
  if (argv.length <= 2) {
    program.outputHelp();
    return 0;
  }
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (isCurError(error)) {
      output.error(`${error.message} [${error.code}]`);
      return 1;
    }
    output.error(`unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}
