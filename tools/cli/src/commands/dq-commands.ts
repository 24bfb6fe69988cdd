import { join } from 'node:path';
import type { Command } from 'commander';
import { ZONES, type Zone } from '@cur/contracts';
import { DuckDbSqlEngine } from '@cur/adapters-local';
import { evaluateRuleset, loadRuleset, loadRulesetFile, referencedDatasets, severityOf, summariseResults } from '@cur/dq';
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
    .action(async (options: CheckOptions) => {
      const ctx = context();
      if (!(ZONES as readonly string[]).includes(options.zone) || options.zone === 'landing') throw new UsageError(`--zone must be one of ${ZONES.filter((z) => z !== 'landing').join(', ')}`);
      const zone = options.zone as Exclude<Zone, 'landing'>;
      const results = await ctx.withRuntime(async (runtime) => {
        const lake = runtime.localLakeDir;
        if (lake === undefined) throw new ConfigError('cur dq check reads the local lake; in AWS Glue Data Quality runs the same rulesets');
        const manifests = new ManifestStore(runtime.blobStore('system'));
        const published = await manifests.list(zone, options.dataset);
        const manifest = options.date ? published.find((m) => m.businessDate === options.date) : published.at(-1);
        if (!manifest) throw new NotFoundError(`nothing of ${options.dataset} is published in ${zone}${options.date ? ` for ${options.date}` : ''}; run cur demo or cur run first`);
        const { ruleset } = options.rules ? await loadRulesetFile(options.rules) : await loadRuleset(options.dataset, zone);
        const engine = await DuckDbSqlEngine.open({ threads: 2 });
        try {
          await engine.registerParquetView('dq_target', manifest.files.map((key) => join(lake, zone, ...key.split('/'))));
          const references: Record<string, string> = {};
          for (const alias of referencedDatasets(ruleset)) {
            for (const referenceZone of ['consumption', 'transformed', 'raw'] as const) {
              const reference = await manifests.get(referenceZone, alias, manifest.businessDate);
              if (!reference) continue;
              await engine.registerParquetView(`dq_ref_${alias}`, reference.files.map((key) => join(lake, referenceZone, ...key.split('/'))));
              references[alias] = `dq_ref_${alias}`;
              break;
            }
          }
          return await evaluateRuleset(ruleset, { engine, view: 'dq_target', references });
        } finally {
          await engine.close();
        }
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
