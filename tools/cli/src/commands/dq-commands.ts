import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ZONES, type Zone } from '@cur/contracts';
import { DuckDbSqlEngine } from '@cur/adapters-local';
import { evaluateRuleset, loadRuleset, loadRulesetFile, referencedDatasets, severityOf, summariseResults, type DqRuleResult } from '@cur/dq';
import { DqEvaluationSchema, type DqEvaluation } from '@cur/dq-alerts';
import { ManifestStore } from '@cur/pipeline';
import { ConfigError, NotFoundError } from '@cur/platform';
import type { CliContext } from '../cli-context';
import { UsageError } from '../process/usage-error';
import { renderTable } from '../output/render-table';
import { isoDateOption } from '../options/iso-date-option';

interface CheckOptions {
  readonly dataset: string;
  readonly zone: string;
  readonly rules?: string;
  readonly date?: string;
  readonly json?: boolean;
  readonly tables?: string;
}

/** What a ruleset's evaluation reads: the target's files, and each reference alias's files of the same date. */
interface EvaluationInput {
  readonly target: readonly string[];
  readonly reference: (alias: string) => Promise<readonly string[] | undefined>;
}

const REFERENCE_ZONES = ['consumption', 'transformed', 'raw'] as const;

/**
 * The Parquet files of a table partition laid out as the Glue jobs write it and Glue Data Quality reads it through
 * the catalog: `<root>/<zone>/<dataset>/business_date=<date>/*.parquet`, no manifest. Undefined when absent.
 */
async function partitionFiles(root: string, zone: string, dataset: string, businessDate: string): Promise<string[] | undefined> {
  const folder = join(root, zone, dataset, `business_date=${businessDate}`);
  const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  const files = names?.filter((name) => name.endsWith('.parquet')).sort().map((name) => join(folder, name));
  return files && files.length > 0 ? files : undefined;
}

const metricsText = (metrics: Readonly<Record<string, number>> | undefined): string =>
  Object.entries(metrics ?? {})
    .map(([name, value]) => `${name}=${Number.isInteger(value) ? value : value.toFixed(4)}`)
    .join(' ');

/** `cur dq check` and `cur dq results`: DQDL rulesets over the lake, and what the pipeline's gates found. */
export function registerDqCommands(program: Command, context: () => CliContext): void {
  const dq = program.command('dq').description('data quality: check a dataset against its DQDL ruleset, or show the gates\' results');
  dq.command('check')
    .description('evaluate a DQDL ruleset over a published dataset of a zone (the dataset\'s own ruleset unless --rules)')
    .requiredOption('-d, --dataset <dataset>', 'e.g. customer_profile')
    .requiredOption('-z, --zone <zone>', 'raw, transformed or consumption')
    .option('--rules <file>', 'a .dqdl file to use instead of the dataset\'s ruleset')
    .option('--date <YYYY-MM-DD>', 'business date (default: the latest published)', isoDateOption)
    .option('--json', 'print the rule results as a JSON array, in rule order')
    .option('--tables <dir>', 'read the --date partition of each table from <dir>/<zone>/<dataset>/business_date=<date>/ (the Glue tables\' layout, no manifest), as Glue Data Quality reads the catalog')
    .action(async (options: CheckOptions) => {
      const ctx = context();
      if (!(ZONES as readonly string[]).includes(options.zone) || options.zone === 'landing') throw new UsageError(`--zone must be one of ${ZONES.filter((z) => z !== 'landing').join(', ')}`);
      const zone = options.zone as Exclude<Zone, 'landing'>;
      const { ruleset } = options.rules ? await loadRulesetFile(options.rules) : await loadRuleset(options.dataset, zone);
      const evaluate = async (input: EvaluationInput): Promise<DqRuleResult[]> => {
        const engine = await DuckDbSqlEngine.open({ threads: 2 });
        try {
          await engine.registerParquetView('dq_target', input.target);
          const references: Record<string, string> = {};
          for (const alias of referencedDatasets(ruleset)) {
            const files = await input.reference(alias);
            if (!files) continue;
            await engine.registerParquetView(`dq_ref_${alias}`, files);
            references[alias] = `dq_ref_${alias}`;
          }
          return await evaluateRuleset(ruleset, { engine, view: 'dq_target', references });
        } finally {
          await engine.close();
        }
      };
      const tables = options.tables;
      const results = tables
        ? await (async () => {
            const businessDate = options.date;
            if (businessDate === undefined) throw new UsageError('--tables needs --date: a table folder holds every business date');
            const target = await partitionFiles(tables, zone, options.dataset, businessDate);
            if (!target) throw new NotFoundError(`no Parquet file of ${options.dataset} in ${zone} for ${businessDate} under ${tables}`);
            return evaluate({
              target,
              reference: async (alias) => {
                for (const referenceZone of REFERENCE_ZONES) {
                  const files = await partitionFiles(tables, referenceZone, alias, businessDate);
                  if (files) return files;
                }
                return undefined;
              },
            });
          })()
        : await ctx.withRuntime(async (runtime) => {
            const lake = runtime.localLakeDir;
            if (lake === undefined) throw new ConfigError('cur dq check reads the local lake; in AWS Glue Data Quality runs the same rulesets');
            const manifests = new ManifestStore(runtime.blobStore('system'));
            const published = await manifests.list(zone, options.dataset);
            const manifest = options.date ? published.find((m) => m.businessDate === options.date) : published.at(-1);
            if (!manifest) throw new NotFoundError(`nothing of ${options.dataset} is published in ${zone}${options.date ? ` for ${options.date}` : ''}; run cur demo or cur run first`);
            const filesOf = (fileZone: string, keys: readonly string[]): string[] => keys.map((key) => join(lake, fileZone, ...key.split('/')));
            return evaluate({
              target: filesOf(zone, manifest.files),
              reference: async (alias) => {
                for (const referenceZone of REFERENCE_ZONES) {
                  const reference = await manifests.get(referenceZone, alias, manifest.businessDate);
                  if (reference) return filesOf(referenceZone, reference.files);
                }
                return undefined;
              },
            });
          });
      if (options.json) return ctx.output.line(JSON.stringify(results.map((r) => ({ rule: r.Description ?? r.Name, ...r })), null, 2));
      ctx.output.line(renderTable(['rule', 'result', 'severity', 'metrics'], results.map((r) => [r.Description ?? r.Name, r.Result, severityOf(r), metricsText(r.EvaluatedMetrics)])));
      const summary = summariseResults(results);
      ctx.output.info(`${summary.numRulesSucceeded} passed, ${summary.numRulesFailed} failed${summary.blocked ? ' (a blocking rule failed)' : ''}`);
    });
  dq.command('results')
    .description('the results the pipeline\'s DQ gates stored, newest first')
    .option('-d, --dataset <dataset>', 'only this dataset')
    .option('-z, --zone <zone>', 'only this zone')
    .option('--json', 'print as JSON')
    .action(async (options: { dataset?: string; zone?: string; json?: boolean }) => {
      const ctx = context();
      const evaluations = await ctx.withRuntime(async (runtime) => {
        const system = runtime.blobStore('system');
        const found: DqEvaluation[] = [];
        for await (const info of system.list('dq/results/')) {
          const evaluation = DqEvaluationSchema.parse(JSON.parse(Buffer.from(await system.get(info.key)).toString('utf8')));
          if ((options.dataset === undefined || evaluation.dataset === options.dataset) && (options.zone === undefined || evaluation.zone === options.zone)) found.push(evaluation);
        }
        return found.sort((a, b) => b.evaluatedAt.localeCompare(a.evaluatedAt));
      });
      if (options.json) return ctx.output.line(JSON.stringify(evaluations, null, 2));
      if (evaluations.length === 0) return ctx.output.line('no DQ results yet: cur demo or cur run');
      const rows = evaluations.flatMap((evaluation) =>
        evaluation.ruleResults.filter((r) => r.Result !== 'PASS').map((r) => [`${evaluation.dataset}/${evaluation.zone}`, evaluation.businessDate, r.Description ?? r.Name, r.Result, r.Labels['severity'] ?? 'blocking', metricsText(r.EvaluatedMetrics)]),
      );
      ctx.output.line(renderTable(['dataset/zone', 'date', 'failed rule', 'result', 'severity', 'metrics'], rows));
      ctx.output.info(`${evaluations.length} evaluation(s), ${rows.length} rule(s) not passing; all rules: cur dq results --json`);
    });
}
