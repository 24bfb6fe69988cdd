import { CommanderError, Option } from 'commander';
import { LOG_FORMATS, isCurError, setDefaultLogFormat, type LogFormat } from '@cur/platform';
import type { Output } from './output/console-output';
import { consoleOutput } from './output/console-output';
import { createProgram } from './create-program';
import { EXIT_CODES, ExitStatus, type ExitCode } from './process/exit-codes';
import { processInterrupts, type Interrupts } from './process/interrupts';
import { UsageError } from './process/usage-error';

/** Options of {@link main}. */
export interface MainOptions {
  /** The Ctrl-C and SIGTERM the command stops on. @default the process's own ({@link processInterrupts}) */
  readonly interrupts?: Interrupts;
}

/**
 * Runs `cur` with the given argv and returns the exit code (`EXIT_CODES`: 0 done, 1 failed, 2 usage, 3 some batches
 * refused, 130/143 stopped by Ctrl-C/SIGTERM). The caller exits with it; nothing here sets `process.exitCode`.
 * Errors are printed with their code and message, never with a stack trace or a data value; set
 * POWERTOOLS_LOG_LEVEL=DEBUG for the structured log.
 */
export async function main(argv: readonly string[], output: Output = consoleOutput, env: NodeJS.ProcessEnv = process.env, options: MainOptions = {}): Promise<number> {
  // Library code logs JSON through Powertools; on a terminal only warnings and errors are worth showing.
  env['POWERTOOLS_LOG_LEVEL'] ??= 'WARN';
  const status = new ExitStatus();
  const interrupts = options.interrupts ?? processInterrupts(output);
  const program = createProgram(output, env, { status, interrupts });
  program.addOption(
    new Option('--log-format <format>', 'how library log lines print: text (one line on stderr) or json (Powertools JSON) (default: text on a terminal, json when stderr is not one; or $CUR_LOG_FORMAT)').choices(LOG_FORMATS),
  );
  // Loggers are created when a command runs, after this: a person at a terminal reads lines, a pipe gets JSON.
  program.hook('preAction', () => setDefaultLogFormat(logFormatFor(program.opts<{ logFormat?: LogFormat }>().logFormat, env)));
  if (argv.length <= 2) {
    program.outputHelp();
    return EXIT_CODES.OK;
  }
  try {
    await program.parseAsync([...argv]);
    return status.code;
  } catch (error) {
    status.report(exitCodeOf(error, output, interrupts));
    return status.code;
  } finally {
    if (options.interrupts === undefined) interrupts.dispose();
  }
}

/**
 * The log format of a run: the flag, else CUR_LOG_FORMAT, else text when stderr is a terminal and JSON when it is not
 * (a pipe, a scheduler, a CI log), so JSON lines never mix into what a person reads.
 */
export function logFormatFor(flag: LogFormat | undefined, env: NodeJS.ProcessEnv, stderrIsTerminal: boolean = process.stderr.isTTY === true): LogFormat {
  const fromEnv = env['CUR_LOG_FORMAT'];
  if (flag !== undefined) return flag;
  if (fromEnv === 'json' || fromEnv === 'text') return fromEnv;
  return stderrIsTerminal ? 'text' : 'json';
}

/** Prints a command's error and returns its exit code. */
function exitCodeOf(error: unknown, output: Output, interrupts: Interrupts): ExitCode {
  // Commander has printed its message; exit code 0 is `--help` or `--version`, anything else a wrong command line.
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_CODES.OK : EXIT_CODES.USAGE;
  if (isCurError(error, 'CANCELLED')) {
    output.error(error.message);
    return interrupts.exitCode ?? EXIT_CODES.INTERRUPTED;
  }
  if (error instanceof UsageError) {
    output.error(error.message);
    return EXIT_CODES.USAGE;
  }
  if (isCurError(error)) output.error(`${error.message} [${error.code}]`);
  else output.error(`unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
  // A failure after Ctrl-C (a closed engine, say) is the stop's doing.
  return interrupts.exitCode ?? EXIT_CODES.FAILURE;
}
