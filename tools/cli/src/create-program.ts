import { Command } from 'commander';
import { ROLES } from '@cur/contracts';
import type { CliContext, CliSession, GlobalOptions } from './cli-context';
import { createCliContext } from './cli-context';
import { registerDatasetsCommand } from './commands/datasets-command';
import { registerDemoCommand } from './commands/demo-command';
import { registerIngestCommands } from './commands/ingest-commands';
import { registerDqCommands } from './commands/dq-commands';
import { registerPrivacyCommands } from './commands/privacy-command';
import { registerGenerateCommand } from './commands/generate-command';
import { registerInvokeCommand } from './commands/invoke-command';
import { registerQueryCommand } from './commands/query-command';
import { registerReplicateCommand } from './commands/replicate-command';
import { registerReportCommand } from './commands/report-command';
import { registerRunCommand } from './commands/run-command';
import { registerScheduleCommand } from './commands/schedule-command';
import { registerServeCommand } from './commands/serve-command';
import { registerTokenCommand } from './commands/token-command';
import { registerKeysCommand } from './commands/keys-command';
import { registerLineageCommands } from './commands/lineage-command';
import { registerMaskCommands } from './commands/mask-commands';
import { registerModelCommands } from './commands/model-commands';
import { registerStatusCommand } from './commands/status-command';
import type { Output } from './output/console-output';
import { ExitStatus } from './process/exit-codes';
import { processInterrupts } from './process/interrupts';

/**
 * Builds the `cur` program. Commands receive their context lazily, after commander has parsed the global options;
 * they report how they ended to `session.status` and stop on `session.interrupts`.
 */
export function createProgram(output: Output, env: NodeJS.ProcessEnv = process.env, session: CliSession = { status: new ExitStatus(), interrupts: processInterrupts(output) }): Command {
  const program = new Command('cur')
    .description('CUR Customer Tagging 2.0 on your laptop: masked customer data in, customer segment tags out')
    .option('-r, --role <role>', `act as this role (${ROLES.join(', ')})`, 'DE')
    .option('--home <dir>', 'local state folder (default: $CUR_HOME or ./.cur)')
    .showHelpAfterError('(run cur --help for usage)')
    .configureOutput({ writeOut: (text) => output.line(text.trimEnd()), writeErr: (text) => output.info(text.trimEnd()) })
    .exitOverride();
  program.addHelpText(
    'after',
    '\nEnvironment: CUR_HOME (state folder), CUR_MODE (local|aws), CUR_STAGE, POWERTOOLS_LOG_LEVEL.\n' +
      'Exit codes: 0 done, 1 failed, 2 usage, 3 some batches refused or quarantined, 130/143 stopped by Ctrl-C/SIGTERM (see README, Troubleshooting).\n' +
      'Start with: npx cur demo',
  );
  let context: CliContext | undefined;
  const getContext = (): CliContext => (context ??= createCliContext(program.opts<GlobalOptions>(), output, env, session));
  registerDemoCommand(program, getContext);
  registerDatasetsCommand(program, getContext);
  registerStatusCommand(program, getContext);
  registerReportCommand(program, getContext);
  registerGenerateCommand(program, getContext);
  registerIngestCommands(program, getContext);
  registerRunCommand(program, getContext);
  registerQueryCommand(program, getContext);
  registerDqCommands(program, getContext);
  registerPrivacyCommands(program, getContext);
  registerReplicateCommand(program, getContext);
  registerLineageCommands(program, getContext);
  registerServeCommand(program, getContext);
  registerTokenCommand(program, getContext);
  registerScheduleCommand(program, getContext);
  registerMaskCommands(program, getContext);
  registerKeysCommand(program, getContext);
  registerInvokeCommand(program, getContext);
  registerModelCommands(program, getContext);
  const inherit = (command: Command): void => {
    command.exitOverride().configureOutput(program.configureOutput());
    command.commands.forEach(inherit);
  };
  program.commands.forEach(inherit);
  return program;
}
