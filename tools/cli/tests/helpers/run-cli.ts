import { main } from '../../src/main';
import type { Output } from '../../src/output/console-output';

/** What one in-process `cur` run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `cur <args>` in this process with captured output and a private environment. */
export async function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const output: Output = {
    line: (text = '') => out.push(text),
    info: (text) => err.push(text),
    error: (text) => err.push(`error: ${text}`),
  };
  const code = await main(['node', 'cur', ...args], output, { ...env });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
