import { DEFAULT_SEVERITY, RULESETS, SEVERITIES, SEVERITY_LABEL, rulesetName } from '@cur/dq';
import { airflowDagGraph, type AirflowDagOptions } from '@cur/lineage';
import { PIPELINE_STEPS, type PipelineTaskGraph } from '@cur/pipeline';

/**
 * The DAG's options: a DQ gate per ruleset of libs/dq (`<dataset>_<zone>` in Glue Data Quality), each reading a failed
 * rule's severity from its label as libs/dq does (a known severity other than the default only warns).
 */
export const DAG_OPTIONS = {
  qualityGates: RULESETS.map(({ dataset, zone }) => ({ dataset, zone, ruleset: rulesetName(dataset, zone) })),
  dqSeverity: { label: SEVERITY_LABEL, warningSeverities: SEVERITIES.filter((severity) => severity !== DEFAULT_SEVERITY) },
} as const satisfies AirflowDagOptions;

/**
 * The pipeline's one task graph, generated from the definition: `cur lineage dag` renders the MWAA DAG from it and
 * writes it to libs/pipeline-dag/pipeline-graph.json (a test keeps both up to date), and `cur run`, `cur demo` and
 * `cur schedule` run it (`localPipelineDependencies`), so a change to the definition changes the DAG and the local
 * run alike.
 */
export function pipelineTaskGraph(): PipelineTaskGraph {
  return airflowDagGraph(PIPELINE_STEPS, DAG_OPTIONS);
}
