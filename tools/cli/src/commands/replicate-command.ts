import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { LOCAL_REPLICA_FILE, LakeCopyTaskRunner, SqliteReplicaTarget } from '@cur/adapters-local/replication';
import { ManifestStore, createContentVerifier } from '@cur/lake';
import { ModelHistory } from '@cur/model-registry';
import { createMaskingPolicy } from '@cur/policy';
import {
  REPLICATED_DATASET_NAMES,
  REPLICATION_ERROR_CODES,
  REPLICA_TABLES,
  PublishedPartitionReader,
  ReplicationError,
  assertBusinessDate,
  dmsExternalTableDefinition,
  dmsFullLoadTask,
  oracleSchemaStatements,
  oracleOwnerBootstrapStatements,
  renderOracleBootstrapScript,
  renderOracleScript,
  replicateBusinessDate,
} from '@cur/replication';
import type { CliContext } from '../cli-context';
import { renderTable } from '../output/render-table';

interface ReplicateOptions {
  readonly date?: string;
  readonly dataset?: string[];
  readonly ddl?: boolean;
  readonly bootstrap?: boolean;
  readonly dms?: boolean;
  readonly check?: boolean;
}

const businessDate = (value: string): string => {
  try {
    return assertBusinessDate(value);
  } catch {
    throw new InvalidArgumentError('a business date is YYYY-MM-DD');
  }
};

const dataset = (value: string, previous: string[] = []): string[] => {
  if (!REPLICATED_DATASET_NAMES.includes(value)) throw new InvalidArgumentError(`one of ${REPLICATED_DATASET_NAMES.join(', ')}`);
  return [...previous, value];
};

/**
 * `cur replicate --date D`: what the oracle-replicator does when a date is published, on this laptop. Empties the
 * date in the local replica (`.cur/oracle/replica.sqlite`), copies the lake's published rows in, and prints the
 * reconciliation per table; exits 1 when a table differs (and `pipeline-failures` is notified). `--ddl` prints the
 * generated Oracle DDL, `--bootstrap` the DBA's one-off script that creates its owner, `--dms` the DMS JSON of the date.
 */
export function registerReplicateCommand(program: Command, context: () => CliContext): void {
  program
    .command('replicate')
    .description('replicate a business date of the consumption layer and the mart to the local Oracle stand-in (SQLite) and reconcile it with the lake')
    .option('-d, --date <YYYY-MM-DD>', 'the business date', businessDate)
    .option('--dataset <name>', `only this dataset (repeatable): ${REPLICATED_DATASET_NAMES.join(', ')}`, dataset)
    .option('--check', 'reconcile the replica as it is, without reloading the date first')
    .option('--ddl', 'print the generated Oracle DDL (tables, comments, roles, grants) and stop')
    .option('--bootstrap', 'print the DBA\'s one-off SQL*Plus script that creates the replica owner CUR_REPLICA (run as CUR_ADMIN, before --ddl) and stop')
    .option('--dms', 'print the generated DMS JSON of --date (source table definition, full-load task) and stop')
    .action(async (options: ReplicateOptions) => {
      const ctx = context();
      const { output } = ctx;
      if (options.bootstrap) {
        output.line(renderOracleBootstrapScript(oracleOwnerBootstrapStatements()).trimEnd());
        return;
      }
      if (options.ddl) {
        output.line(renderOracleScript(oracleSchemaStatements(createMaskingPolicy(), REPLICA_TABLES)).trimEnd());
        return;
      }
      if (options.date === undefined) throw new InvalidArgumentError('--date is required (the business date to replicate)');
      const date = options.date;
      if (options.dms) {
        output.line(JSON.stringify({ externalTableDefinition: dmsExternalTableDefinition(REPLICA_TABLES), fullLoadTask: dmsFullLoadTask(REPLICA_TABLES, date) }, null, 2));
        return;
      }
      const report = await ctx.withRuntime(async (runtime) => {
        const system = runtime.blobStore('system');
        const buckets = (zone: 'consumption' | 'mart') => runtime.blobStore(zone);
        const lake = new PublishedPartitionReader(new ManifestStore(system, { verify: createContentVerifier((zone) => runtime.blobStore(zone)) }), buckets);
        const target = await SqliteReplicaTarget.open(join(runtime.config.home, LOCAL_REPLICA_FILE));
        try {
          const history = new ModelHistory(runtime.keyValueStore);
          const models = { promotedVersion: async () => (await history.scoring())?.versionId };
          return await replicateBusinessDate({ lake, runner: new LakeCopyTaskRunner(lake, target), target, notifier: runtime.notifier(), system, models }, { businessDate: date, checkOnly: options.check === true, ...(options.dataset ? { datasets: options.dataset } : {}) });
        } finally {
          await target.close();
        }
      });
      output.line(`CUR replication of ${report.businessDate} to ${report.target}: ${report.status}`);
      output.line('');
      output.line(
        renderTable(
          ['zone', 'dataset', 'oracle table', 'rows lake', 'rows replica', 'content hash', 'status'],
          report.tables.map((table) => [
            table.zone,
            table.dataset,
            table.table,
            table.lake ? String(table.lake.rows) : '',
            table.target ? String(table.target.rows) : '',
            table.lake && table.target ? (table.lake.sha256Sum === table.target.sha256Sum ? `match ${table.lake.sha256Sum.slice(0, 12)}` : 'DIFFERS') : '',
            table.status,
          ]),
        ),
      );
      output.line('');
      output.line(`report: replication/runs/${report.runId}.json in the system bucket`);
      if (report.status === 'mismatch') {
        throw new ReplicationError(REPLICATION_ERROR_CODES.REPLICA_MISMATCH, `the replica differs from the lake for ${report.businessDate}; pipeline-failures was notified. run cur replicate --date ${report.businessDate} (without --check) to reload it`);
      }
      if (report.status === 'nothing-published') throw new ReplicationError(REPLICATION_ERROR_CODES.INPUT_MISSING, `nothing replicated is published for ${report.businessDate}: run cur run --date ${report.businessDate} first`);
    });
}
