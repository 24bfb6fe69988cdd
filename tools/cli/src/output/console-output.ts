/** Where a command writes: results to stdout, progress and errors to stderr, so output can be piped. */
export interface Output {
  /** A result line, on stdout. */
  line(text?: string): void;
  /** Progress or a hint, on stderr. */
  info(text: string): void;
  /** An error, on stderr. */
  error(text: string): void;
}

/** The process's own stdout and stderr. */
export const consoleOutput: Output = {
  line: (text = '') => process.stdout.write(`${text}\n`),
  info: (text) => process.stderr.write(`${text}\n`),
  error: (text) => process.stderr.write(`error: ${text}\n`),
};
