import { mkdir } from 'node:fs/promises';
import type { Command } from 'commander';
import { generateLandingBatches, writeToDirectory, type GenerateSummary } from '@cur/synthetic';
import type { CliContext } from '../cli-context';
import { UsageError } from '../process/usage-error';
import type { Output } from '../output/console-output';
import { renderTable } from '../output/render-table';
import { isoDateOption } from '../options/iso-date-option';

/** Options of `cur generate`, as commander parses them. */
interface GenerateCommandOptions {
  readonly customers: string;
  readonly days: string;
  readonly seed: string;
  readonly start: string;
  readonly out: string;
  readonly dirtyRate: string;
  readonly cardActivity: string;
}

const integer = (name: string, value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new UsageError(`--${name} must be a whole number, not '${value}'`);
  return parsed;
};

/** Writes synthetic extracts and prints one line per batch. */
export async function generateExtracts(
  output: Output,
  options: { customers: number; days: number; seed: number; startDate?: string; dirtyRate?: number; cardActivity?: number; out: string },
): Promise<GenerateSummary> {
  // The extracts are plaintext: a folder made here is owner-only (the files are 0600 whatever the folder).
  await mkdir(options.out, { recursive: true, mode: 0o700 });
  return generateLandingBatches(
    { customers: options.customers, days: options.days, seed: options.seed, ...(options.startDate ? { startDate: options.startDate } : {}), ...(options.dirtyRate === undefined ? {} : { dirtyRate: options.dirtyRate }),
      ...(options.cardActivity === undefined ? {} : { cardActivity: options.cardActivity }),
    },
    writeToDirectory(options.out),
    (event) => {
      if (event.type === 'batch-finished') {
        const { batch } = event;
        output.info(`  [${event.batchNumber}/${event.batchCount}] ${batch.dataFile} ${batch.rowCount} rows (${batch.dirtyRows} dirty, ${batch.encoding})`);
      }
    },
  );
}

/** `cur generate`: deterministic synthetic extracts that obey the landing contract. */
export function registerGenerateCommand(program: Command, context: () => CliContext): void {
  program
    .command('generate')
    .description('write realistic synthetic extracts (Taiwanese IDs, names, addresses, ROC dates, Big5, dirty rows) as landing batches')
    .option('-n, --customers <n>', 'customers', '10000')
    .option('-d, --days <n>', 'consecutive business days', '1')
    .option('-s, --seed <n>', 'the same seed gives byte-identical files', '1')
    .option('--start <YYYY-MM-DD>', 'first business date', isoDateOption, '2026-11-25')
    .option('--dirty-rate <fraction>', 'share of deliberately dirty rows', '0.005')
    .option('--card-activity <factor>', 'multiplies card use: 10 gives about ten card transactions per customer per day (load tests)', '1')
    .option('-o, --out <dir>', 'where to write the batches', 'extracts')
    .action(async (options: GenerateCommandOptions) => {
      const ctx = context();
      const dirtyRate = Number(options.dirtyRate);
      if (!(dirtyRate >= 0 && dirtyRate <= 0.5)) throw new UsageError('--dirty-rate must be between 0 and 0.5');
      const cardActivity = Number(options.cardActivity);
      if (!(cardActivity > 0 && cardActivity <= 50)) throw new UsageError('--card-activity must be above 0 and at most 50');
      const summary = await generateExtracts(ctx.output, {
        customers: integer('customers', options.customers),
        days: integer('days', options.days),
        seed: integer('seed', options.seed),
        startDate: options.start,
        dirtyRate,
        cardActivity,
        out: options.out,
      });
      ctx.output.line(renderTable(['file', 'rows', 'dirty', 'encoding', 'bytes'], summary.batches.map((b) => [b.dataFile, String(b.rowCount), String(b.dirtyRows), b.encoding, String(b.bytes)])));
      ctx.output.line(`\n${summary.totalRows} rows in ${summary.batches.length} batches written to ${options.out}. Next: cur ingest push ${options.out}`);
    });
}
