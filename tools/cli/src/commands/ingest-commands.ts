import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { BatchLedger, createIngestionHandler, objectCreatedEvent, pushBatches, type IngestionDependencies, type IngestionOutcome } from '@cur/ingestion';
import { ValidationError, createLogger, scrubText } from '@cur/platform';
import type { Runtime } from '@cur/runtime';
import type { CliContext } from '../cli-context';
import { renderTable } from '../output/render-table';

/** The ingestion controller's dependencies on a runtime; accepted batches become platform events, as in AWS. */
export function ingestionDependencies(runtime: Runtime, onAccepted?: IngestionDependencies['onAccepted']): IngestionDependencies {
  const events = runtime.events();
  return {
    landing: runtime.blobStore('landing'),
    quarantine: runtime.blobStore('quarantine'),
    ledger: new BatchLedger(runtime.keyValueStore),
    onAccepted: onAccepted ?? ((batch) => events.publish('Batch Accepted', batch)),
    logger: createLogger({ serviceName: 'cur-cli' }),
  };
}

/**
 * A ledger or outcome reason as printed. Reasons are built without values; the scrub is a backstop, for ledgers written
 * before they were too (a BAD_HEADER reason used to quote the file's first row).
 */
const printable = (reason: string): string => scrubText(reason);

/** One line per ingestion outcome, naming files and codes, never values. */
export function describeOutcome(outcome: IngestionOutcome): string {
  switch (outcome.outcome) {
    case 'accepted':
      return `accepted     ${outcome.batch.batchId} (${outcome.batch.rowCount} rows)`;
    case 'duplicate':
      return `duplicate    ${outcome.batchId} (already ingested; nothing to do)`;
    case 'quarantined':
      return `quarantined  ${outcome.batchId} ${outcome.reasonCode}: ${printable(outcome.reason)}`;
    case 'gone':
      return `gone         ${outcome.controlKey} (moved on before this notification)`;
  }
}

/** `cur ingest push|status|sweep`: the on-premises push, the ingestion controller, and the batch ledger. */
export function registerIngestCommands(program: Command, context: () => CliContext): void {
  const ingest = program.command('ingest').description('push extracts to the landing zone, ingest them, and show the batch ledger');
  ingest
    .command('push')
    .description('verify each batch in a folder against its control file, upload it to landing, and ingest it (as the S3 notification would)')
    .argument('<dir>', 'a folder of <dataset>_<YYYYMMDD>.csv[.gz] + .ctl pairs, e.g. from cur generate')
    .option('--no-ingest', 'only upload; leave ingestion to cur ingest sweep')
    .action(async (dir: string, options: { ingest: boolean }) => {
      const ctx = context();
      if (!(await stat(dir).then((info) => info.isDirectory()).catch(() => false))) throw new ValidationError(`${dir} is not a folder`);
      const failures = await ctx.withRuntime(async (runtime) => {
        const deps = ingestionDependencies(runtime);
        const handle = createIngestionHandler(() => Promise.resolve(deps));
        let failed = 0;
        await pushBatches(dir, deps.landing, {
          ledger: deps.ledger,
          onProgress: (outcome) => {
            if (outcome.status === 'refused') failed += 1;
            ctx.output.info(
              outcome.status === 'pushed'
                ? `pushed       ${outcome.batchId} (${outcome.rowCount} rows, ${outcome.bytes} bytes)`
                : outcome.status === 'skipped'
                  ? `skipped      ${outcome.batchId} (${outcome.reason})`
                  : `not sent     ${outcome.batchId} ${outcome.reasonCode}: ${printable(outcome.reason)}`,
            );
          },
        }).then(async (outcomes) => {
          if (!options.ingest) return;
          for (const pushed of outcomes) {
            if (pushed.status !== 'pushed') continue;
            const head = await deps.landing.head(pushed.controlKey);
            for (const outcome of await handle(objectCreatedEvent(deps.landing.bucket, pushed.controlKey, head?.size ?? 0))) {
              if (outcome.outcome === 'quarantined') failed += 1;
              ctx.output.line(describeOutcome(outcome));
            }
          }
        });
        return failed;
      });
      if (failures > 0) ctx.output.info(`${failures} batch(es) were not ingested; see cur ingest status`);
    });
  ingest
    .command('sweep')
    .description('ingest control files still waiting in landing and quarantine data files without one (the scheduled run)')
    .action(async () => {
      const ctx = context();
      const outcomes = await ctx.withRuntime((runtime) => {
        const deps = ingestionDependencies(runtime);
        const event = { version: '0', id: crypto.randomUUID(), 'detail-type': 'Scheduled Event', source: 'aws.scheduler', account: '000000000000', time: new Date().toISOString(), region: 'local', resources: [], detail: {} };
        return createIngestionHandler(() => Promise.resolve(deps))(event);
      });
      if (outcomes.length === 0) ctx.output.line('nothing waiting in landing');
      for (const outcome of outcomes) ctx.output.line(describeOutcome(outcome));
    });
  ingest
    .command('status')
    .description('the batch ledger: each dataset and business date, its status, rows, and its last attempt')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }) => {
      const ctx = context();
      const rows = await ctx.withRuntime((runtime) => new BatchLedger(runtime.keyValueStore).list());
      if (options.json) {
        const scrubbed = rows.map((row) => ({ ...row, attempts: row.attempts.map((attempt) => (attempt.reason === undefined ? attempt : { ...attempt, reason: printable(attempt.reason) })) }));
        return ctx.output.line(JSON.stringify(scrubbed, null, 2));
      }
      if (rows.length === 0) return ctx.output.line('no batches yet: cur ingest push <dir>');
      ctx.output.line(
        renderTable(
          ['batch', 'status', 'rows', 'accepted', 'attempts', 'last attempt'],
          rows.map(({ batchId, record, attempts }) => {
            const last = attempts.at(-1);
            return [
              batchId,
              record?.status ?? 'NOT ACCEPTED',
              record ? String(record.rowCount) : '',
              record?.acceptedAt ?? '',
              String(attempts.length),
              last ? `${last.outcome}${last.reasonCode ? ` ${last.reasonCode}` : ''}` : '',
            ];
          }),
        ),
      );
    });
}
