import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { DuckDbSqlParser } from '@cur/adapters-local';
import { ALL_DATASETS } from '@cur/contracts';
import { buildLineage, readLineageRecords, renderAirflowDag, renderLineageMermaid, type LineageDefinition, type MetadataChangeProposal } from '@cur/lineage';
import { DataHubRestEmitter } from '@cur/lineage/datahub-rest';
import { PIPELINE_STEPS } from '@cur/pipeline';
import { createMaskingPolicy } from '@cur/policy';
import type { CliContext } from '../cli-context';
import { pipelineColumnDerivations } from '../lineage/pipeline-column-derivations';
import { renderTable } from '../output/render-table';
import { DAG_OPTIONS, pipelineTaskGraph } from '../pipeline-task-graph';

/** `cur lineage export` and `cur lineage show`: DataHub lineage of the platform, from its definition and what ran. */
export function registerLineageCommands(program: Command, context: () => CliContext): void {
  const lineage = program.command('lineage').description('DataHub lineage generated from the pipeline definition, the contracts and the run logs');
  lineage
    .command('export')
    .description('write the metadata change proposals in DataHub\'s file format (a JSON list), for `datahub ingest` or the REST emitter')
    .requiredOption('-o, --out <file>', 'where to write, e.g. lineage.json')
    .action(async (options: { out: string }) => {
      const ctx = context();
      const { mcps, runs, manifests } = await currentLineage(ctx);
      const out = resolve(options.out);
      await writeFile(out, `${JSON.stringify(mcps, null, 2)}\n`);
      ctx.output.line(`${mcps.length} metadata change proposals (${runs} run(s), ${manifests} published partition(s)) written to ${out}`);
      ctx.output.line(renderTable(['entity type', 'entities', 'proposals'], summarise(mcps)));
    });
  lineage
    .command('emit')
    .description('send the same proposals to a DataHub metadata service over REST (token from $DATAHUB_TOKEN), retried; exits 1 if any is refused')
    .requiredOption('--endpoint <url>', 'DataHub GMS, e.g. http://localhost:8080')
    .action(async (options: { endpoint: string }) => {
      const ctx = context();
      const { mcps } = await currentLineage(ctx);
      const token = process.env['DATAHUB_TOKEN'];
      const result = await new DataHubRestEmitter({ endpoint: options.endpoint, ...(token ? { token } : {}) }).emit(mcps);
      ctx.output.line(`${result.sent} of ${mcps.length} proposals accepted by ${options.endpoint}`);
      for (const failure of result.failures) ctx.output.error(`refused ${failure.aspectName} of ${failure.entityUrn}: ${failure.code}`);
      if (result.failed > 0) ctx.report('failed');
    });
  lineage
    .command('definition')
    .description('the pipeline definition and its plans\' column derivations as JSON: what the lineage-emitter Lambda builds lineage from')
    .option('-o, --out <file>', `write it to a file (the repository's: ${LINEAGE_DEFINITION_FILE})`)
    .action(async (options: { out?: string }) => {
      const { output } = context();
      const text = `${JSON.stringify(await lineageDefinition(), null, 2)}\n`;
      if (options.out === undefined) output.line(text.trimEnd());
      else {
        await writeFile(resolve(options.out), text);
        output.info(`wrote ${resolve(options.out)}`);
      }
    });
  lineage
    .command('show')
    .description('print the lineage graph as Mermaid: zones left to right, one node per dataset, each hop labelled with its step')
    .action(() => {
      context().output.line(renderLineageMermaid(PIPELINE_STEPS).trimEnd());
    });
  lineage
    .command('dag')
    .description('the MWAA DAG generated from the pipeline definition: printed, or written to a DAG folder with its graph as JSON for its tests')
    .option('-o, --out <dir>', `write <dir>/${DAG_FILE} (the repository's: libs/pipeline-dag/dags)`)
    .option('--graph <file>', 'also write the task graph the DAG must have, as JSON (libs/pipeline-dag/pipeline-graph.json)')
    .action(async (options: { out?: string; graph?: string }) => {
      const { output } = context();
      const dag = renderAirflowDag(PIPELINE_STEPS, DAG_OPTIONS);
      if (options.out === undefined) output.line(dag.trimEnd());
      else {
        await mkdir(resolve(options.out), { recursive: true });
        await writeFile(join(resolve(options.out), DAG_FILE), dag);
        output.info(`wrote ${join(resolve(options.out), DAG_FILE)}`);
      }
      if (options.graph !== undefined) {
        await writeFile(resolve(options.graph), `${JSON.stringify(pipelineTaskGraph(), null, 2)}\n`);
        output.info(`wrote ${resolve(options.graph)}`);
      }
    });
}

/** The DAG's DQ gates: the rulesets libs/dq ships, by the names Glue Data Quality knows them by. */
export { DAG_OPTIONS } from '../pipeline-task-graph';

/** The generated DAG's file name in the DAG folder. */
export const DAG_FILE = 'cur_pipeline.py';

/** Where the lineage-emitter Lambda's copy of {@link lineageDefinition} is committed (a test keeps it up to date). */
export const LINEAGE_DEFINITION_FILE = 'apps/lineage-emitter/src/lineage-definition.json';

/** The pipeline definition and the column derivations of its plans, which lineage is built from. */
export async function lineageDefinition(): Promise<LineageDefinition> {
  const parser = await DuckDbSqlParser.open();
  try {
    const columnDerivations = await pipelineColumnDerivations(parser, { policy: createMaskingPolicy() });
    return { steps: PIPELINE_STEPS.map((step) => ({ ...step, inputs: [...step.inputs], outputs: [...step.outputs] })), columnDerivations: columnDerivations.map((d) => ({ ...d, upstreams: [...d.upstreams] })) };
  } finally {
    parser.close();
  }
}

/** The lineage of the definition, the contracts and what ran in this state folder. */
async function currentLineage(ctx: CliContext): Promise<{ mcps: MetadataChangeProposal[]; runs: number; manifests: number }> {
  const { runs, manifests, dqResults } = await ctx.withRuntime((runtime) => readLineageRecords(runtime.blobStore('system')));
  const policy = createMaskingPolicy();
  const { columnDerivations } = await lineageDefinition();
  const mcps = buildLineage(
    { steps: PIPELINE_STEPS, datasets: Object.values(ALL_DATASETS), storageTreatmentFor: (dataset, column) => policy.storageTreatmentFor(dataset, column), columnDerivations, runs, manifests, dqResults },
    { stage: ctx.config.stage },
  );
  return { mcps, runs: runs.length, manifests: manifests.length };
}

function summarise(mcps: readonly MetadataChangeProposal[]): string[][] {
  const byType = new Map<string, { entities: Set<string>; proposals: number }>();
  for (const mcp of mcps) {
    const entry = byType.get(mcp.entityType) ?? { entities: new Set<string>(), proposals: 0 };
    entry.entities.add(mcp.entityUrn);
    entry.proposals += 1;
    byType.set(mcp.entityType, entry);
  }
  return [...byType.entries()].map(([type, entry]) => [type, String(entry.entities.size), String(entry.proposals)]);
}
