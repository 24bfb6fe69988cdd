import type { Command } from 'commander';
import { TokenService } from '@cur/masking';
import type { CliContext } from '../cli-context';
import { callerOf } from '../cli-caller';
import { renderTable } from '../output/render-table';

/** `cur keys list` and `cur keys rotate <group>`: the masking data keys, never their material. */
export function registerKeysCommand(program: Command, context: () => CliContext): void {
  const keys = program.command('keys').description('list or rotate the masking data keys (never prints key material)');
  keys
    .command('list')
    .description('every key group and version, which is active, and which vault wraps it')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }) => {
      const ctx = context();
      const list = await ctx.withRuntime((runtime) => TokenService.create({ keyValueStore: runtime.keyValueStore, keyVault: runtime.keyVault() }).describe(callerOf(ctx)));
      if (options.json) return ctx.output.line(JSON.stringify(list, null, 2));
      if (list.length === 0) return ctx.output.line('no keys yet: the first mask of a column creates its key group');
      ctx.output.line(renderTable(['key group', 'version', 'active', 'created', 'vault'], list.map((k) => [k.keyGroup, String(k.version), k.active ? 'yes' : '', k.createdAt, k.vault])));
    });
  keys
    .command('rotate')
    .description('start a new version of a key group: new tokens use it, old tokens still resolve (roles SYSTEM, DM)')
    .argument('<keyGroup>', 'e.g. national_id, person_name, card_number (see cur keys list)')
    .action(async (keyGroup: string) => {
      const ctx = context();
      const version = await ctx.withRuntime((runtime) =>
        TokenService.create({ keyValueStore: runtime.keyValueStore, keyVault: runtime.keyVault() }).rotate(callerOf(ctx), keyGroup),
      );
      ctx.output.line(`key group ${keyGroup} now uses version ${version}; older versions stay resolvable`);
    });
}
