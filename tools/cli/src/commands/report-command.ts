import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { DuckDbQuerySandbox } from '@cur/adapters-local';
import { createContentVerifier } from '@cur/lake';
import { airflowDagGraph } from '@cur/lineage';
import { ManifestStore, PIPELINE_STEPS } from '@cur/pipeline';
import { AccessDeniedError, ConfigError, ValidationError } from '@cur/platform';
import { createMaskingPolicy } from '@cur/policy';
import type { Runtime } from '@cur/runtime';
import type { CliContext } from '../cli-context';
import { RunLogSchema, dqOverRuns, rowsOfRun, type ReportData, type RunLog, type TagCount } from '../report/report-data';
import { renderReportHtml } from '../report/render-report-html';
import { DAG_OPTIONS } from './lineage-command';
import { roleViews } from './query-command';

/** The roles the report is for (data managers and analysts), and engineers who run the platform. */
export const REPORT_ROLES = ['DM', 'DA', 'DE'] as const;

/** Where the page goes unless `--out` says otherwise. */
export const DEFAULT_REPORT_FILE = 'cur-report.html';

/** `cur report [--out FILE]`: one static HTML page of what the pipeline did, for the DM and DA. */
export function registerReportCommand(program: Command, context: () => CliContext): void {
  program
    .command('report')
    .description(
      'write one static HTML page for the DM and DA (roles DM, DA, DE): rows per zone and run, DQ results over runs, the tag distribution and its trend, ' +
        'and the pipeline graph; counts, statuses and names only, no script, nothing loaded from elsewhere',
    )
    .option('-o, --out <file>', 'the page to write (owner-only)', DEFAULT_REPORT_FILE)
    .action(async (options: { out: string }) => {
      const ctx = context();
      if (!(REPORT_ROLES as readonly string[]).includes(ctx.role)) {
        throw new AccessDeniedError(`role ${ctx.role} gets no report: it is for ${REPORT_ROLES.join(', ')} (--role DM)`, { details: { role: ctx.role } });
      }
      const data = await ctx.withRuntime((runtime) => reportData(runtime, ctx.role, ctx.config.home));
      const out = resolve(options.out);
      await writeReport(out, renderReportHtml(data));
      ctx.output.line(`wrote ${out}: ${data.runs.length} run(s), ${data.dq.length} DQ gate(s), ${new Set(data.tags.map((t) => t.tag)).size} tag(s), ${data.graph.tasks.length} pipeline task(s)`);
    });
}

/**
 * Writes the page owner-only (temp file + rename). The folder is the user's choice, so it is created if missing but
 * never narrowed: the state folder's `writeFileAtomic` makes its folder owner-only, which on `/tmp` would lock out
 * every other user.
 */
async function writeReport(out: string, html: string): Promise<void> {
  await mkdir(dirname(out), { recursive: true });
  const temp = `${out}.${randomUUID()}.tmp`;
  await writeFile(temp, html, { mode: 0o600 });
  await rename(temp, out);
}

/** Gathers the report from the state folder: run logs, the mart's tag counts as the role sees them, the DAG's graph. */
export async function reportData(runtime: Runtime, role: string, home: string): Promise<ReportData> {
  const lake = runtime.localLakeDir;
  if (lake === undefined) throw new ConfigError('cur report reads the local lake; in AWS the same figures are in Athena and CloudWatch');
  const system = runtime.blobStore('system');
  const logs: RunLog[] = [];
  for await (const info of system.list('runs/')) {
    if (!info.key.endsWith('.json')) continue;
    const parsed = RunLogSchema.safeParse(JSON.parse(Buffer.from(await system.get(info.key)).toString('utf8')));
    if (!parsed.success) throw new ValidationError(`the run log system/${info.key} is not one cur report can read: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    logs.push(parsed.data);
  }
  logs.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  return {
    generatedAt: new Date().toISOString(),
    role,
    stateFolder: home,
    runs: logs.map(rowsOfRun),
    dq: dqOverRuns(logs),
    tags: await tagCounts(runtime, role, lake),
    graph: airflowDagGraph(PIPELINE_STEPS, DAG_OPTIONS),
  };
}

/** Customers per tag and business date from the mart, through the same role views and file checks as `cur query`. */
async function tagCounts(runtime: Runtime, role: string, lake: string): Promise<TagCount[]> {
  const manifests = new ManifestStore(runtime.blobStore('system'));
  const views = await roleViews(manifests, createMaskingPolicy(), role, lake);
  const mart = views.find((view) => view.schema === 'mart' && view.name === 'tag_metrics_monthly');
  if (mart === undefined) return [];
  const verify = createContentVerifier((zone) => runtime.blobStore(zone));
  for (const manifest of mart.manifests) await verify(manifest);
  const sandbox = await DuckDbQuerySandbox.open({ views: [mart] });
  try {
    const rows = await sandbox.query(
      'SELECT CAST(business_date AS VARCHAR) AS business_date, tag, CAST(sum(customers) AS BIGINT) AS customers FROM mart.tag_metrics_monthly GROUP BY 1, 2 ORDER BY 1, 2',
    );
    return rows.map((row) => ({ businessDate: String(row['business_date']), tag: String(row['tag']), customers: Number(row['customers']) }));
  } finally {
    sandbox.close();
  }
}
