import type { Command } from 'commander';
import { ALL_DATASET_NAMES, HUMAN_READABLE_ZONES, DATASET_NAMES, getDataset } from '@cur/contracts';
import { DuckDbQuerySandbox, type SandboxView } from '@cur/adapters-local';
import { ManifestStore } from '@cur/pipeline';
import { createContentVerifier, type Manifest } from '@cur/lake';
import { ConfigError, ValidationError, isCurError } from '@cur/platform';
import { TokenService } from '@cur/masking';
import { createMaskingPolicy, type MaskingPolicy } from '@cur/policy';
import { callerOf } from '../cli-caller';
import { parseRevealTargets, revealColumns, type RevealTarget } from './query-reveal';
import type { CliContext } from '../cli-context';
import { UsageError } from '../process/usage-error';
import { renderTable } from '../output/render-table';
import { join } from 'node:path';

/** Most rows printed as a table; --json prints all. */
const MAX_TABLE_ROWS = 200;

/**
 * `cur query --role R "SELECT ..."`: SQL over the lake with only what the role may see: the local stand-in for
 * Athena, EMR and Redshift Spectrum under Lake Formation. Each published dataset of each zone but landing is a view
 * `<zone>.<dataset>` with the role's columns (secret columns left out for human roles); landing is not there at all.
 * `--reveal` (SYSTEM only) turns tokens of the named result columns back into plaintext through the token service,
 * which audits every call and refuses, audited too, any other role.
 */
export function registerQueryCommand(program: Command, context: () => CliContext): void {
  program
    .command('query')
    .description("run SQL over the zones as the --role sees them (zone.dataset views; landing is invisible)")
    .argument('<sql>', "e.g. \"SELECT segment, count(*) FROM consumption.customer_features GROUP BY 1\"")
    .option('--json', 'print all rows as JSON')
    .option(
      '--reveal <columns>',
      'SYSTEM only, audited: detokenize these result columns, comma-separated (a tokenized column name like cust_id, or alias=dataset.column); repeatable',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--key-version <n>', 'with --reveal: the key version of format-preserving tokens (default: the one the raw manifests record)')
    .addHelpText('after', '\nExample (SYSTEM, audited):\n  cur --role SYSTEM query --reveal cust_id "SELECT cust_id, tag FROM consumption.customer_tags LIMIT 5"')
    .action(async (sql: string, options: { json?: boolean; reveal?: string[]; keyVersion?: string }) => {
      const ctx = context();
      const policy = createMaskingPolicy();
      const targets = parseRevealTargets(options.reveal ?? [], policy);
      const keyVersion = options.keyVersion === undefined ? undefined : Number(options.keyVersion);
      if (keyVersion !== undefined && !(Number.isInteger(keyVersion) && keyVersion > 0)) throw new UsageError('--key-version is a positive whole number');
      const rows = await ctx.withRuntime(async (runtime) => {
        const lake = runtime.localLakeDir;
        if (lake === undefined) throw new ConfigError('cur query reads the local lake; in AWS use Athena under Lake Formation');
        const manifests = new ManifestStore(runtime.blobStore('system'));
        const verify = createContentVerifier((zone) => runtime.blobStore(zone));
        const views = await roleViews(manifests, policy, ctx.role, lake);
        const sandbox = await DuckDbQuerySandbox.open({ views });
        try {
          // Every file a view reads is checked against its manifest first: nothing changed after publication is read.
          const beforeRun = async (names: readonly string[]): Promise<void> => {
            for (const view of views.filter((v) => names.includes(`${v.schema}.${v.name}`))) for (const manifest of view.manifests) await verify(manifest);
          };
          const result = await sandbox.query(sql, { beforeRun }).catch((error: unknown) => {
            if (isCurError(error, 'QUERY_FAILED') && /Binder Error|Catalog Error/.test(error.message)) {
              throw new ValidationError(`the query names a table or column that role ${ctx.role} cannot see or that does not exist (${error.message}); tables are <zone>.<dataset>, list them with: cur query "SHOW ALL TABLES"`, { cause: error });
            }
            throw error;
          });
          if (targets.length > 0) {
            const versions = new Map<RevealTarget, number | undefined>();
            for (const target of targets) versions.set(target, keyVersion ?? (await recordedKeyVersion(manifests, policy, target)));
            const service = TokenService.create({ keyValueStore: runtime.keyValueStore, keyVault: runtime.keyVault(), policy });
            const report = await revealColumns(result, targets, (caller, batch) => service.detokenize(caller, batch), callerOf(ctx), (target) => versions.get(target));
            for (const { column, revealed } of report) ctx.output.info(`revealed ${revealed} distinct value(s) of ${column} (audited)`);
          }
          return result;
        } finally {
          sandbox.close();
        }
      });
      if (options.json) return ctx.output.line(JSON.stringify(rows, null, 2));
      const header = Object.keys(rows[0] ?? {});
      ctx.output.line(renderTable(header, rows.slice(0, MAX_TABLE_ROWS).map((row) => header.map((h) => (row[h] === null || row[h] === undefined ? '' : String(row[h]))))));
      ctx.output.info(`${rows.length} row(s)${rows.length > MAX_TABLE_ROWS ? `, first ${MAX_TABLE_ROWS} shown (--json for all)` : ''}`);
    });
}

/**
 * One view per published dataset of each zone a person may read, with exactly the role's columns (the policy's
 * view: secret columns left out for human roles) over the files its manifests name. No other view exists.
 */
export async function roleViews(manifests: ManifestStore, policy: MaskingPolicy, role: string, lake: string): Promise<(SandboxView & { manifests: Manifest[] })[]> {
  const views: (SandboxView & { manifests: Manifest[] })[] = [];
  for (const name of ALL_DATASET_NAMES) {
    const dataset = getDataset(name);
    const visible = new Set(policy.viewOf(role, name).map((entry) => entry.column.name));
    const columns = [...dataset.columns.filter((c) => visible.has(c.name)).map((c) => c.name), ...dataset.partitionColumns.map((c) => c.name)];
    for (const zone of HUMAN_READABLE_ZONES.filter((z) => dataset.zones.includes(z))) {
      const published = await manifests.list(zone, name);
      const files = published.flatMap((m) => m.files.map((key) => join(lake, zone, ...key.split('/'))));
      if (files.length > 0) views.push({ schema: zone, name, columns, files, manifests: published });
    }
  }
  return views;
}

/**
 * The key version the mask step recorded in the raw manifests for the target's key group (every source column that
 * shares the key): format-preserving tokens carry none. Partitions masked under different versions cannot be told
 * apart by their tokens, so that case needs --key-version.
 */
async function recordedKeyVersion(manifests: ManifestStore, policy: MaskingPolicy, target: RevealTarget): Promise<number | undefined> {
  const keyGroup = policy.keyGroupFor(target.dataset, target.column);
  const versions = new Set<number>();
  for (const dataset of DATASET_NAMES) {
    const columns = getDataset(dataset).columns.filter((column) => policy.keyGroupFor(dataset, column.name) === keyGroup).map((column) => column.name);
    if (columns.length === 0) continue;
    for (const manifest of await manifests.list('raw', dataset)) {
      for (const column of columns) if (manifest.keyVersions[column] !== undefined) versions.add(manifest.keyVersions[column]);
    }
  }
  if (versions.size > 1) {
    throw new ValidationError(`--reveal ${target.resultColumn}: key group ${keyGroup} was used at versions ${[...versions].sort().join(', ')} in the lake; pass --key-version for the partitions you query`);
  }
  return [...versions][0];
}
