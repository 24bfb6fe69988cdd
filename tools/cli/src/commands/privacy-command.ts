import { join } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { HUMAN_ROLES, type HumanRole } from '@cur/contracts';
import { DuckDbSqlEngine } from '@cur/adapters-local';
import { createContentVerifier } from '@cur/lake';
import { ManifestStore } from '@cur/pipeline';
import { ConfigError, NotFoundError } from '@cur/platform';
import { createMaskingPolicy } from '@cur/policy';
import { DEFAULT_K_THRESHOLD, KAnonymityBelowThresholdError, checkKAnonymity, kAnonymityScopes, type KAnonymityResult } from '@cur/privacy';
import type { CliContext } from '../cli-context';
import { UsageError } from '../process/usage-error';
import { renderTable } from '../output/render-table';
import { isoDateOption } from '../options/iso-date-option';

interface CheckOptions {
  readonly dataset?: string;
  readonly zone?: string;
  readonly date?: string;
  readonly threshold?: string;
  readonly json?: boolean;
}

const ThresholdSchema = z.coerce.number().int().min(1).max(1000);

/** The role given with `--role` on the command line, or undefined when it is only the default. */
function explicitRole(command: Command, role: string): string | undefined {
  let root = command;
  while (root.parent) root = root.parent;
  return root.getOptionValueSource('role') === 'default' ? undefined : role;
}

/**
 * `cur privacy check`: k-anonymity of every dataset that declares quasi-identifiers, in each zone a human role reads,
 * as each human role (or the one `--role` names) sees it, over the latest published partition (or `--date`). Prints
 * column names, counts and k only; exits non-zero when a view is below the threshold.
 */
export function registerPrivacyCommands(program: Command, context: () => CliContext): void {
  const privacy = program.command('privacy').description('re-identification risk of what human roles see');
  privacy
    .command('check')
    .description("k-anonymity of each dataset's quasi-identifiers as each human role sees them (--role: one role); fails below the threshold")
    .option('-d, --dataset <dataset>', 'only this dataset (customer_profile, customer_features)')
    .option('-z, --zone <zone>', 'only this zone (raw, transformed, consumption)')
    .option('--date <YYYY-MM-DD>', 'business date (default: the latest published)', isoDateOption)
    .option('-k, --threshold <k>', `the smallest class allowed (default ${DEFAULT_K_THRESHOLD})`)
    .option('--json', 'print the results as JSON')
    .action(async (options: CheckOptions, command: Command) => {
      const ctx = context();
      const role = explicitRole(command, ctx.role);
      if (role !== undefined && !(HUMAN_ROLES as readonly string[]).includes(role)) {
        throw new UsageError(`cur privacy check measures what human roles see (${HUMAN_ROLES.join(', ')}); ${role} is the platform's own account`);
      }
      const roles: readonly HumanRole[] = role === undefined ? HUMAN_ROLES : [role as HumanRole];
      const threshold = options.threshold === undefined ? DEFAULT_K_THRESHOLD : ThresholdSchema.safeParse(options.threshold).data;
      if (threshold === undefined) throw new UsageError('--threshold is a whole number from 1 to 1000');
      const scopes = kAnonymityScopes();
      const names = [...new Set(scopes.map((scope) => scope.dataset.name))];
      if (options.dataset !== undefined && !names.includes(options.dataset)) throw new UsageError(`--dataset must be one of ${names.join(', ')} (the datasets that declare quasi-identifiers)`);
      const zones = [...new Set(scopes.map((scope) => scope.zone))];
      if (options.zone !== undefined && !(zones as readonly string[]).includes(options.zone)) throw new UsageError(`--zone must be one of ${zones.join(', ')}`);
      const chosen = scopes.filter((scope) => (options.dataset === undefined || scope.dataset.name === options.dataset) && (options.zone === undefined || scope.zone === options.zone));

      const results = await ctx.withRuntime(async (runtime) => {
        const lake = runtime.localLakeDir;
        if (lake === undefined) throw new ConfigError('cur privacy check reads the local lake; in AWS the consumption gate runs the same check');
        const manifests = new ManifestStore(runtime.blobStore('system'), { verify: createContentVerifier((zone) => runtime.blobStore(zone)) });
        const policy = createMaskingPolicy();
        const engine = await DuckDbSqlEngine.open({ threads: 2 });
        try {
          const found: KAnonymityResult[] = [];
          for (const { dataset, zone } of chosen) {
            if (zone === 'landing') continue;
            const manifest = options.date ? await manifests.get(zone, dataset.name, options.date) : (await manifests.list(zone, dataset.name)).at(-1);
            if (!manifest) continue;
            await engine.registerParquetView('privacy_target', manifest.files.map((key) => join(lake, zone, ...key.split('/'))));
            found.push(...(await checkKAnonymity(engine, policy, { dataset, zone, businessDate: manifest.businessDate, view: 'privacy_target' }, { threshold, roles })));
          }
          return found;
        } finally {
          await engine.close();
        }
      });
      if (results.length === 0) throw new NotFoundError(`nothing to check is published${options.date ? ` for ${options.date}` : ''}; run cur demo or cur run first`);

      if (options.json) ctx.output.line(JSON.stringify(results, null, 2));
      else {
        ctx.output.line(
          renderTable(
            ['dataset', 'zone', 'date', 'roles', 'quasi-identifiers', 'customers', 'classes', 'k', `in classes < ${threshold}`, 'result'],
            results.map((r) => [r.dataset, r.zone, r.businessDate, r.roles.join(' '), r.quasiIdentifiers.join(', '), String(r.records), String(r.classes), r.k === null ? '-' : String(r.k), String(r.recordsBelowThreshold), r.passed ? 'ok' : 'BELOW'].map(String)),
          ),
        );
      }
      const below = results.filter((result) => !result.passed);
      if (below.length > 0) {
        const where = [...new Set(below.map((result) => `${result.dataset}/${result.zone}`))].join(', ');
        throw new KAnonymityBelowThresholdError(
          `${below.length} of ${results.length} view(s) below k = ${threshold} (${where}): a customer in a smaller class can be singled out by someone who knows their quasi-identifiers`,
        );
      }
      ctx.output.info(`every view reaches k = ${threshold}`);
    });
}
