import type { Command } from 'commander';
import { AuditLog, RETOKENIZE_FLAG, TokenService, parseKeyGroupName } from '@cur/masking';
import { rotateAndRetokenize, type RetokenizeResult } from '@cur/pipeline';
import type { Runtime } from '@cur/runtime';
import type { CliContext } from '../cli-context';
import { callerOf } from '../cli-caller';
import { renderTable } from '../output/render-table';
import { localPipelineDependencies } from '../pipeline-wiring';
import { describeStep } from './run-command';

/** `cur keys list` and `cur keys rotate <group> [--retokenize]`: the masking data keys, never their material. */
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
    .description(
      'start a new version of a key group: new tokens use it, old tokens still resolve (roles SYSTEM, DM). A join-key group (national_id, account_number) ' +
        `is refused unless ${RETOKENIZE_FLAG} (SYSTEM only) also rewrites every published partition, so joins across dates keep matching`,
    )
    // The platform's one key group check, the same the masking-key-service runs: names the policy defines.
    .argument('<keyGroup>', 'a key group of the masking policy: national_id, person_name, card_number, ... (see cur keys list)', (name: string) => parseKeyGroupName(name))
    .option(
      RETOKENIZE_FLAG,
      'rotate, then rewrite every published raw partition holding the group\'s tokens to the new version and rebuild transformed, consumption, mart and serving for those dates (SYSTEM only; audited)',
    )
    .action(async (keyGroup: string, options: { retokenize?: boolean }) => {
      const ctx = context();
      if (options.retokenize) {
        const result = await ctx.withRuntime((runtime) => retokenizeWithProgress(runtime, ctx, keyGroup));
        ctx.output.line(
          `key group ${keyGroup} now uses version ${result.toVersion}: ${result.partitions.length} raw partition(s) re-tokenised, ` +
            `downstream rebuilt for ${result.businessDates.length === 0 ? 'no date (nothing was published)' : result.businessDates.join(', ')}; older versions stay resolvable`,
        );
        if (result.status === 'failed') {
          ctx.output.error(`a rebuild step failed: rerun cur run --date <date> for ${result.businessDates.join(', ')} (the raw partitions are already re-tokenised)`);
          ctx.report('failed');
        }
        return;
      }
      const version = await ctx.withRuntime((runtime) =>
        TokenService.create({ keyValueStore: runtime.keyValueStore, keyVault: runtime.keyVault() }).rotate(callerOf(ctx), keyGroup),
      );
      ctx.output.line(`key group ${keyGroup} now uses version ${version}; older versions stay resolvable`);
    });
}

/** The re-tokenise job on the local lake: one line per rewritten partition and per rebuild step. */
async function retokenizeWithProgress(runtime: Runtime, ctx: CliContext, keyGroup: string): Promise<RetokenizeResult> {
  const pipeline = await localPipelineDependencies(runtime);
  try {
    // On the pipeline's key ring, so the rebuild masks any new batch with the version the rotation makes active.
    const tokens = new TokenService({ keyRing: pipeline.maskers.keyRing, policy: pipeline.policy, audit: new AuditLog(runtime.keyValueStore) });
    return await rotateAndRetokenize({ pipeline, tokens }, callerOf(ctx), keyGroup, {
      onPartition: (partition) => ctx.output.info(`  ok       retokenize  ${partition.dataset}/${partition.businessDate} ${partition.rowCount} rows (${Object.entries(partition.fromVersions).map(([column, from]) => `${column} v${from}`).join(', ')})`),
      onStep: (step) => ctx.output.info(describeStep(step)),
    });
  } finally {
    await pipeline.engine.close();
  }
}
