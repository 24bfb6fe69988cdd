import type { Command } from 'commander';
import { ALL_DATASET_NAMES, HUMAN_READABLE_ZONES, getDataset } from '@cur/contracts';
import { DuckDbSqlEngine } from '@cur/adapters-local';
import { ManifestStore } from '@cur/pipeline';
import { ConfigError, ValidationError } from '@cur/platform';
import { createMaskingPolicy } from '@cur/policy';
import type { CliContext } from '../cli-context';
import { renderTable } from '../output/render-table';
import { join } from 'node:path';

/** Most rows printed as a table; --json prints all. */
const MAX_TABLE_ROWS = 200;

/**
 * `cur query --role R "SELECT ..."`: SQL over the lake with only what the role may see: the local stand-in for
 * Athena, EMR and Redshift Spectrum under Lake Formation. Each published dataset of each zone but landing is a view
 * `<zone>.<dataset>` with the role's columns (secret columns left out for human roles); landing is not there at all.
 */
export function registerQueryCommand(program: Command, context: () => CliContext): void {
  program
    .command('query')
    .description("run SQL over the zones as the --role sees them (zone.dataset views; landing is invisible)")
    .argument('<sql>', "e.g. \"SELECT segment, count(*) FROM consumption.customer_features GROUP BY 1\"")
    .option('--json', 'print all rows as JSON')
    .action(async (sql: string, options: { json?: boolean }) => {
      const ctx = context();
      if (!/^\s*(SELECT|WITH|DESCRIBE|SHOW)\b/i.test(sql)) throw new ValidationError('cur query runs read-only SQL: SELECT, WITH, DESCRIBE or SHOW');
      const rows = await ctx.withRuntime(async (runtime) => {
        const lake = runtime.localLakeDir;
        if (lake === undefined) throw new ConfigError('cur query reads the local lake; in AWS use Athena under Lake Formation');
        const manifests = new ManifestStore(runtime.blobStore('system'));
        const policy = createMaskingPolicy();
        const engine = await DuckDbSqlEngine.open({ threads: 2 });
        try {
          for (const zone of HUMAN_READABLE_ZONES) await engine.execute(`CREATE SCHEMA IF NOT EXISTS ${zone}`);
          for (const name of ALL_DATASET_NAMES) {
            const dataset = getDataset(name);
            const visible = new Set(policy.viewOf(ctx.role, name).map((entry) => entry.column.name));
            const columns = [...dataset.columns.filter((c) => visible.has(c.name)).map((c) => c.name), ...dataset.partitionColumns.map((c) => c.name)];
            for (const zone of HUMAN_READABLE_ZONES.filter((z) => dataset.zones.includes(z))) {
              const files = (await manifests.list(zone, name)).flatMap((m) => m.files.map((key) => join(lake, zone, ...key.split('/'))));
              if (files.length === 0) continue;
              await engine.registerParquetView(`${zone}_${name}_files`, files);
              await engine.execute(`CREATE OR REPLACE VIEW ${zone}.${name} AS SELECT ${columns.join(', ')} FROM ${zone}_${name}_files`);
            }
          }
          return await engine.query(sql).catch((error: unknown) => {
            if (/Binder Error|Catalog Error/.test((error as Error).message)) {
              throw new ValidationError(`the query names a table or column that role ${ctx.role} cannot see or that does not exist; tables are <zone>.<dataset>, list them with: cur query "SHOW ALL TABLES"`, { cause: error });
            }
            throw error;
          });
        } finally {
          await engine.close();
        }
      });
      if (options.json) return ctx.output.line(JSON.stringify(rows, null, 2));
      const header = Object.keys(rows[0] ?? {});
      ctx.output.line(renderTable(header, rows.slice(0, MAX_TABLE_ROWS).map((row) => header.map((h) => (row[h] === null || row[h] === undefined ? '' : String(row[h]))))));
      ctx.output.info(`${rows.length} row(s)${rows.length > MAX_TABLE_ROWS ? `, first ${MAX_TABLE_ROWS} shown (--json for all)` : ''}`);
    });
}
