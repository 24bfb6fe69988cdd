import type { Command } from 'commander';
import { TokenService } from '@cur/masking';
import type { CliContext } from '../cli-context';
import { callerOf } from '../cli-caller';

interface ColumnOptions {
  readonly dataset: string;
  readonly column: string;
  readonly keyVersion?: string;
}

/**
 * `cur mask` and `cur unmask`: the token the pipeline writes for one value, and (SYSTEM only, audited) the value
 * behind a token. For debugging and for checking the bank's expected outputs.
 */
export function registerMaskCommands(program: Command, context: () => CliContext): void {
  program
    .command('mask')
    .description('print the token the pipeline would write for a value of a column; SYSTEM only, every call audited')
    .requiredOption('-d, --dataset <dataset>', 'e.g. customer_profile')
    .requiredOption('-c, --column <column>', 'e.g. cust_id')
    .argument('<value...>', 'one or more plaintext values')
    .action(async (values: string[], options: ColumnOptions) => {
      const ctx = context();
      const result = await ctx.withRuntime((runtime) =>
        TokenService.create({ keyValueStore: runtime.keyValueStore, keyVault: runtime.keyVault() }).tokenize(callerOf(ctx), {
          dataset: options.dataset,
          column: options.column,
          values,
        }),
      );
      for (const token of result.tokens) ctx.output.line(token ?? '');
      if (result.keyVersion !== undefined) ctx.output.info(`key version ${result.keyVersion}`);
    });
  program
    .command('unmask')
    .description('print the plaintext behind tokens of a column; SYSTEM only, every call audited')
    .requiredOption('-d, --dataset <dataset>', 'e.g. customer_profile')
    .requiredOption('-c, --column <column>', 'e.g. cust_id')
    .option('-k, --key-version <n>', 'the key version of the column, for format-preserving tokens (cur mask prints it)')
    .argument('<token...>', 'one or more tokens')
    .action(async (tokens: string[], options: ColumnOptions) => {
      const ctx = context();
      const keyVersion = options.keyVersion === undefined ? undefined : Number(options.keyVersion);
      const values = await ctx.withRuntime((runtime) =>
        TokenService.create({ keyValueStore: runtime.keyValueStore, keyVault: runtime.keyVault() }).detokenize(callerOf(ctx), {
          dataset: options.dataset,
          column: options.column,
          values: tokens,
          ...(keyVersion === undefined || !Number.isInteger(keyVersion) ? {} : { keyVersion }),
        }),
      );
      for (const value of values) ctx.output.line(value ?? '');
    });
}
