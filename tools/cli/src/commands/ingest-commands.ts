import { stat } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { Argument, Option, type Command } from 'commander';
import { DATASET_NAMES } from '@cur/contracts';
import { AuditLog } from '@cur/masking';
import { BatchLedger, RETIRE_REASONS, batchIdOf, createIngestionHandler, objectCreatedEvent, pushBatches, type BatchAttempt, type IngestionDependencies, type IngestionOutcome, type RetireReason } from '@cur/ingestion';
import { AccessDeniedError, CancelledError, createLogger, isCurError, scrubText } from '@cur/platform';
import type { Runtime } from '@cur/runtime';
import type { CliContext } from '../cli-context';
import { callerOf } from '../cli-caller';
import { isoDateOption } from '../options/iso-date-option';
import { UsageError } from '../process/usage-error';
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

/** `cur ingest push|status|sweep|retire`: the on-premises push, the ingestion controller, and the batch ledger. */
export function registerIngestCommands(program: Command, context: () => CliContext): void {
  const ingest = program.command('ingest').description('push extracts to the landing zone, ingest them, and show the batch ledger');
  ingest
    .command('push')
    .description('verify each batch in a folder against its control file, upload it to landing, and ingest it (as the S3 notification would)')
    .argument('<dir>', 'a folder of <dataset>_<YYYYMMDD>.csv[.gz] + .ctl pairs, e.g. from cur generate')
    .option('--no-ingest', 'only upload; leave ingestion to cur ingest sweep')
    .action(async (dir: string, options: { ingest: boolean }) => {
      const ctx = context();
      if (!(await stat(dir).then((info) => info.isDirectory()).catch(() => false))) throw new UsageError(`${dir} is not a folder`);
      const { signal } = ctx;
      let failed = 0;
      let sent = 0;
      try {
        await ctx.withRuntime(async (runtime) => {
          const deps = ingestionDependencies(runtime);
          const handle = createIngestionHandler(() => Promise.resolve(deps));
          const outcomes = await pushBatches(dir, deps.landing, {
            ledger: deps.ledger,
            signal,
            onProgress: (outcome) => {
              if (outcome.status === 'refused') failed += 1;
              if (outcome.status === 'pushed') sent += 1;
              ctx.output.info(
                outcome.status === 'pushed'
                  ? `pushed       ${outcome.batchId} (${outcome.rowCount} rows, ${outcome.bytes} bytes)`
                  : outcome.status === 'skipped'
                    ? `skipped      ${outcome.batchId} (${outcome.reason})`
                    : `not sent     ${outcome.batchId} ${outcome.reasonCode}: ${printable(outcome.reason)}`,
              );
            },
          });
          if (!options.ingest) return;
          for (const pushed of outcomes) {
            if (pushed.status !== 'pushed') continue;
            // A safe point: each pushed batch is ingested whole or left in landing for cur ingest sweep.
            if (signal.aborted) throw new CancelledError('stopped before ingesting every pushed batch');
            const head = await deps.landing.head(pushed.controlKey);
            for (const outcome of await handle(objectCreatedEvent(deps.landing.bucket, pushed.controlKey, head?.size ?? 0))) {
              if (outcome.outcome === 'quarantined') failed += 1;
              ctx.output.line(describeOutcome(outcome));
            }
          }
        });
      } catch (error) {
        if (!isCurError(error, 'CANCELLED')) throw error;
        ctx.output.info(`stopped at a safe point after ${sent} pushed batch(es): every batch is sent whole or not at all`);
        ctx.output.info(`resume with: npx cur ingest push ${dir}   (batches already ingested are skipped; npx cur ingest sweep ingests those already in landing)`);
        ctx.report('cancelled');
      }
      if (failed > 0) {
        ctx.output.info(`${failed} batch(es) were refused or quarantined: npx cur ingest status lists them with their reasons`);
        ctx.report('batches-refused');
      }
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
      const quarantined = outcomes.filter((outcome) => outcome.outcome === 'quarantined').length;
      if (quarantined > 0) {
        ctx.output.info(`${quarantined} batch(es) were quarantined: npx cur ingest status lists them with their reasons`);
        ctx.report('batches-refused');
      }
    });
  ingest
    .command('retire')
    .description(
      'retire a masked, published or failed batch so a corrected extract for the same dataset and business date is accepted instead of ' +
        'quarantined as ALREADY_INGESTED (role DE only; audited, refusals too). What it published stays until the corrected batch is run',
    )
    .addArgument(new Argument('<dataset>', 'the batch\'s dataset').choices(DATASET_NAMES))
    .addArgument(new Argument('<date>', 'its business date, YYYY-MM-DD').argParser(isoDateOption))
    .addOption(new Option('--reason <code>', 'why, as a code (free text could quote customer data)').choices(RETIRE_REASONS).makeOptionMandatory())
    .addHelpText('after', '\nExample:\n  npx cur --role DE ingest retire customer_profile 2026-11-25 --reason corrected-extract\n  npx cur ingest push DIR   # the corrected batch, accepted now')
    .action(async (dataset: string, businessDate: string, options: { reason: RetireReason }) => {
      const ctx = context();
      const caller = callerOf(ctx);
      const batchId = batchIdOf(dataset, businessDate);
      const retired = await ctx.withRuntime(async (runtime) => {
        const audit = new AuditLog(runtime.keyValueStore);
        const entry = { principal: caller.principal, ...(caller.osUser === undefined ? {} : { osUser: caller.osUser }), role: ctx.role, operation: 'retire-batch', dataset, count: 0 } as const;
        if (ctx.role !== 'DE') {
          await audit.record({ ...entry, outcome: 'refused', reason: 'ROLE_NOT_ALLOWED' });
          throw new AccessDeniedError(`role ${ctx.role} may not retire a batch; only a DE may (--role DE)`, { details: { role: ctx.role } });
        }
        const before = await new BatchLedger(runtime.keyValueStore).retire(batchId, options.reason, new Date().toISOString(), randomUUID());
        await audit.record({ ...entry, outcome: 'allowed', count: before.rowCount, reason: options.reason });
        return before;
      });
      ctx.output.line(`retired ${batchId} (was ${retired.status}, ${retired.rowCount} rows, accepted ${retired.acceptedAt}; reason ${options.reason})`);
      ctx.output.line(`push the corrected batch now: npx cur ingest push <dir>; cur run then rebuilds ${businessDate}`);
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
      const lastOf = (attempts: readonly BatchAttempt[]): BatchAttempt | undefined => [...attempts].sort((a, b) => a.at.localeCompare(b.at)).at(-1);
      ctx.output.line(
        renderTable(
          ['batch', 'status', 'rows', 'accepted', 'attempts', 'last attempt'],
          rows.map(({ batchId, record, attempts }) => {
            const last = lastOf(attempts);
            return [
              batchId,
              record?.status ?? (last?.outcome === 'refused' ? 'NOT SENT' : last?.outcome === 'quarantined' ? 'QUARANTINED' : 'NOT ACCEPTED'),
              record ? String(record.rowCount) : '',
              record?.acceptedAt ?? '',
              String(attempts.length),
              last ? `${last.outcome}${last.reasonCode ? ` ${last.reasonCode}` : ''}` : '',
            ];
          }),
        ),
      );
      // Why each batch whose last arrival was refused or quarantined did not get in, and what to do.
      const turnedAway = rows.flatMap(({ batchId, attempts }) => {
        const last = lastOf(attempts);
        return last && (last.outcome === 'refused' || last.outcome === 'quarantined') ? [{ batchId, last }] : [];
      });
      if (turnedAway.length === 0) return;
      ctx.output.line('');
      ctx.output.line('Refused or quarantined (last attempt):');
      for (const { batchId, last } of turnedAway) {
        const where = last.outcome === 'quarantined' && last.quarantinePrefix ? ` (files in quarantine/${last.quarantinePrefix})` : ' (not sent: still in your folder)';
        ctx.output.line(`  ${batchId} ${last.outcome} ${last.reasonCode ?? ''}: ${printable(last.reason ?? '')}${where}`);
      }
      ctx.output.line('Fix the extract or its control file and push the batch again.');
    });
}
