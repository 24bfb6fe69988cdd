/**
 * The exit codes of `cur`, listed in the README's Troubleshooting section. A script or a scheduler can rely on them:
 * every failure or partial failure is non-zero.
 */
export const EXIT_CODES = {
  /** Everything asked was done. */
  OK: 0,
  /**
   * The command failed: an error printed with its code in brackets, a pipeline run that ended `failed` (its run log
   * names the step), a privacy check below the threshold.
   */
  FAILURE: 1,
  /** The command line is wrong (unknown command or option, a missing argument, a value out of range): nothing was done. */
  USAGE: 2,
  /** Done in part: some batches were refused before sending or quarantined; `cur ingest status` lists them with reasons. */
  BATCHES_REFUSED: 3,
  /** Stopped by Ctrl-C (SIGINT) at a safe point; the command printed how to resume. 128 + 2, as a shell reports it. */
  INTERRUPTED: 130,
  /** Stopped by SIGTERM at a safe point; the command printed how to resume. 128 + 15. */
  TERMINATED: 143,
} as const;

/** One exit code of `cur`. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** The exit code of a stop by a signal. */
export const exitCodeOfSignal = (signal: 'SIGINT' | 'SIGTERM'): ExitCode => (signal === 'SIGINT' ? EXIT_CODES.INTERRUPTED : EXIT_CODES.TERMINATED);

/** Which code wins when one command meets several outcomes: a stop by signal, then a failure, then refused batches. */
const PRECEDENCE: readonly ExitCode[] = [EXIT_CODES.TERMINATED, EXIT_CODES.INTERRUPTED, EXIT_CODES.FAILURE, EXIT_CODES.USAGE, EXIT_CODES.BATCHES_REFUSED, EXIT_CODES.OK];

/**
 * How one `cur` command ended when it did not throw: commands report a failed run, refused batches or a stop by
 * signal here, and `main` returns the code (never `process.exitCode`, which the executable's `process.exit` would
 * overwrite).
 */
export class ExitStatus {
  #code: ExitCode = EXIT_CODES.OK;

  /** The code to exit with: the most serious reported, {@link EXIT_CODES.OK} when nothing was. */
  get code(): ExitCode {
    return this.#code;
  }

  /** Records an outcome; a more serious one already recorded stays. */
  report(code: ExitCode): void {
    if (PRECEDENCE.indexOf(code) < PRECEDENCE.indexOf(this.#code)) this.#code = code;
  }
}
