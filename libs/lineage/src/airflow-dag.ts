import { SERVING_LOAD_APP } from '@cur/contracts';
import { renderScoringHelpers, renderScoringTask, SCORING_IMPORTS } from './airflow-scoring-task';
import { pipelineTasks } from './task-graph';
import type { LineageStep, PipelineTask } from './types/lineage-step';

/** Options of {@link renderAirflowDag}. */
export interface AirflowDagOptions {
  /** @default 'cur_pipeline' */
  readonly dagId?: string;
  /** Retries of a task after its first attempt; the local runner makes 3 attempts. @default 2 */
  readonly retries?: number;
  /** Longest a task may run. @default 60 */
  readonly executionTimeoutMinutes?: number;
  /**
   * The DQ gates: a Glue Data Quality ruleset per dataset and zone (libs/dq's `RULESETS`). Each becomes a task after
   * the task that writes the dataset, and what reads the dataset waits for the gate instead of the writer.
   * @default none
   */
  readonly qualityGates?: readonly QualityGate[];
  /**
   * How the gates read a failed rule's severity (libs/dq's `SEVERITY_LABEL` and its severities that only warn): a
   * failed rule whose label is a warning severity lets the run go on, any other (or none) fails the gate.
   * @default {@link DEFAULT_DQ_SEVERITY}
   */
  readonly dqSeverity?: DqSeverityOptions;
}

/** The label a DQDL rule's severity is in, and the severities whose failures only warn. */
export interface DqSeverityOptions {
  readonly label: string;
  readonly warningSeverities: readonly string[];
}

/** libs/dq's today: `labels=["severity"="warning"]` warns, anything else blocks. */
export const DEFAULT_DQ_SEVERITY: DqSeverityOptions = { label: 'severity', warningSeverities: ['warning'] };

/** A DQ ruleset over a dataset in a zone. */
export interface QualityGate {
  readonly dataset: string;
  readonly zone: string;
  /** The ruleset's name in Glue Data Quality, e.g. `customer_profile_raw`. */
  readonly ruleset: string;
}

/** One task of the DAG: a pipeline task, or the DQ gate after one. */
interface DagNode {
  readonly id: string;
  readonly step: string;
  readonly dataset: string | null;
  readonly upstream: readonly string[];
  readonly task?: PipelineTask;
  readonly gate?: QualityGate;
  /** Reads the output of a model task, which is skipped while no model is promoted: runs unless an upstream failed. */
  readonly optionalUpstream?: boolean;
}

/** The graph the DAG must have, for the DAG's own tests: each task with its step, dataset and upstream tasks. */
export interface AirflowDagGraph {
  readonly dagId: string;
  /** `step` is `dq` for a gate, whose `dataset` is the one it checks. */
  readonly tasks: readonly { readonly id: string; readonly step: string; readonly dataset: string | null; readonly upstream: readonly string[] }[];
}

/** The command that regenerates the DAG folder's files. */
export const AIRFLOW_DAG_COMMAND = 'npx cur lineage dag --out libs/pipeline-dag/dags --graph libs/pipeline-dag/pipeline-graph.json';

/**
 * The pipeline's task graph as an MWAA DAG (Airflow 3, `apache-airflow-providers-amazon`), generated from the
 * definition: one task per step and dataset ({@link pipelineTasks}), a Glue job per data step (deferrable), a
 * SageMaker Processing job for a step that applies the promoted model (skipped while none is promoted, and what reads
 * its output runs unless something failed), a Lambda invocation for the serving load, retries and a timeout on every task, and a failure callback that publishes to the
 * `pipeline-failures` topic with the task and the business date only. One DAG run per business date: the date (and
 * the batch) come in the run's conf.
 *
 * @param steps - the pipeline definition (`PIPELINE_STEPS`)
 * @param options - DAG id, retries, timeout
 * @returns the Python source of the DAG file
 */
export function renderAirflowDag(steps: readonly LineageStep[], options: AirflowDagOptions = {}): string {
  const dagId = options.dagId ?? 'cur_pipeline';
  const nodes = dagNodes(steps, options);
  const severity = options.dqSeverity ?? DEFAULT_DQ_SEVERITY;
  const scoring = nodes.some((node) => node.task?.model !== undefined);
  const lines = [
    `"""The CUR pipeline as an MWAA DAG: one run per business date, whose conf carries it ({"businessDate": "2026-11-25"}).`,
    '',
    "GENERATED from libs/pipeline's PIPELINE_STEPS: do not edit. Regenerate with",
    `    ${AIRFLOW_DAG_COMMAND}`,
    'A test fails while this file differs from what the definition renders (tools/cli, lineage-command.test.ts).',
    '"""',
    '',
    'from __future__ import annotations',
    '',
    ...pythonImports(
      ['import json', 'import os', 'from datetime import timedelta', ...(scoring ? SCORING_IMPORTS.standard : [])],
      [
        'import pendulum',
        'from airflow.providers.amazon.aws.notifications.sns import SnsNotifier',
        'from airflow.providers.amazon.aws.operators.glue import GlueJobOperator',
        'from airflow.providers.amazon.aws.operators.lambda_function import LambdaInvokeFunctionOperator',
        scoring ? 'from airflow.sdk import DAG, Variable' : 'from airflow.sdk import DAG',
        ...(scoring ? SCORING_IMPORTS.thirdParty : []),
        ...(nodes.some((node) => node.gate) ? ['from cur_dq_gate import DqGateOperator'] : []),
      ],
      scoring ? SCORING_IMPORTS.firstParty : [],
    ),
    '',
    '#: The stage and region, from the MWAA environment (its environment variables).',
    'STAGE = os.environ.get("CUR_STAGE", "dev")',
    'REGION = os.environ.get("AWS_REGION", "ap-northeast-1")',
    '#: The Glue databases of the zones, as infra names them (`cur_<stage>_<zone>`).',
    'DATABASE_PREFIX = "cur_" + STAGE.replace("-", "_")',
    '#: The business date of the run, from its conf.',
    `BUSINESS_DATE = "{{ dag_run.conf['businessDate'] }}"`,
    '#: The DQ gates evaluate the partition of the run\'s business date only.',
    `BUSINESS_DATE_PARTITION = "business_date = '{{ dag_run.conf['businessDate'] }}'"`,
    '#: A failed DQ rule labelled with one of these severities only warns; any other, or none, stops what reads the dataset.',
    `DQ_SEVERITY_LABEL = "${severity.label}"`,
    `DQ_WARNING_SEVERITIES = (${severity.warningSeverities.map((name) => `"${name}"`).join(', ')}${severity.warningSeverities.length === 1 ? ',' : ''})`,
    '',
    '#: A failed task publishes its id and the business date to `pipeline-failures`: never a value, never an error text.',
    'NOTIFY_FAILURE = SnsNotifier(',
    '    target_arn="{{ var.value.cur_pipeline_failures_topic_arn }}",',
    '    subject="CUR pipeline: {{ ti.task_id }} failed",',
    `    message="Task {{ ti.task_id }} of run {{ run_id }} failed for business date {{ dag_run.conf['businessDate'] }}.",`,
    '    region_name=REGION,',
    ')',
    '',
    ...(scoring ? ['', ...renderScoringHelpers()] : []),
    'with DAG(',
    `    dag_id="${dagId}",`,
    `    description="mask -> transform -> consumption -> mart -> serving, generated from the pipeline definition",`,
    '    schedule=None,',
    '    start_date=pendulum.datetime(2026, 1, 1, tz="Asia/Taipei"),',
    '    catchup=False,',
    '    max_active_runs=1,',
    '    default_args={',
    `        "retries": ${options.retries ?? 2},`,
    '        "retry_delay": timedelta(seconds=30),',
    '        "retry_exponential_backoff": True,',
    `        "execution_timeout": timedelta(minutes=${options.executionTimeoutMinutes ?? 60}),`,
    '        "on_failure_callback": NOTIFY_FAILURE,',
    '    },',
    '    tags=["cur", "generated"],',
    ') as dag:',
    ...nodes.flatMap((node) => renderNode(node)),
    '',
    ...nodes.flatMap((node) => dependencyLines(node)),
  ];
  return `${lines.join('\n')}\n`;
}

/** The graph {@link renderAirflowDag} draws, as JSON for the DAG's tests (what TypeScript defines reaches Python as JSON). */
export function airflowDagGraph(steps: readonly LineageStep[], options: AirflowDagOptions = {}): AirflowDagGraph {
  return { dagId: options.dagId ?? 'cur_pipeline', tasks: dagNodes(steps, options).map(({ id, step, dataset, upstream }) => ({ id, step, dataset, upstream })) };
}

/** The pipeline's tasks, each followed by the gates of what it writes; readers of a gated dataset wait for its gate. */
function dagNodes(steps: readonly LineageStep[], options: AirflowDagOptions): DagNode[] {
  const gates = options.qualityGates ?? [];
  const gateOf = (zone: string, dataset: string): QualityGate | undefined => gates.find((gate) => gate.zone === zone && gate.dataset === dataset);
  const gateId = (gate: QualityGate): string => `dq_${gate.zone}_${gate.dataset}`;
  const tasks = pipelineTasks(steps);
  const writes = (writer: PipelineTask, zone: string, dataset: string): boolean => writer.outputs.some((o) => o.zone === zone && o.dataset === dataset);
  const nodes: DagNode[] = [];
  for (const task of tasks) {
    const upstream = new Set<string>();
    let optionalUpstream = false;
    for (const input of task.inputs) {
      const writers = tasks.filter((writer) => task.upstreamTaskIds.includes(writer.id) && writes(writer, input.zone, input.dataset));
      if (writers.some((writer) => writer.model !== undefined)) optionalUpstream = true;
      const gate = gateOf(input.zone, input.dataset);
      if (gate && writers.length > 0) upstream.add(gateId(gate));
      else for (const writer of writers) upstream.add(writer.id);
    }
    nodes.push({ id: task.id, step: task.step, dataset: task.dataset ?? null, upstream: nodes.filter((node) => upstream.has(node.id)).map((node) => node.id), task, ...(optionalUpstream ? { optionalUpstream } : {}) });
    for (const output of task.outputs) {
      const gate = gateOf(output.zone, output.dataset);
      if (gate) nodes.push({ id: gateId(gate), step: 'dq', dataset: gate.dataset, upstream: [task.id], gate });
    }
  }
  return nodes;
}

/**
 * The import sections as ruff's isort orders them (standard library, third party, first party: a package of this
 * workspace, such as `cur_model`), each with plain imports first, then from-imports, each by module.
 */
function pythonImports(standard: readonly string[], thirdParty: readonly string[], firstParty: readonly string[] = []): string[] {
  const order = (lines: readonly string[]): string[] => {
    const module = (line: string): string => line.split(' ')[1] ?? '';
    const sorted = (kind: string): string[] => lines.filter((line) => line.startsWith(kind)).sort((a, b) => (module(a) < module(b) ? -1 : 1));
    return [...sorted('import '), ...sorted('from ')];
  };
  return [...order(standard), '', ...order(thirdParty), ...(firstParty.length > 0 ? ['', ...order(firstParty)] : [])];
}

/** One `upstream >> task` line per edge: plain to read, and typed for mypy whatever the operators' classes. */
function dependencyLines(node: DagNode): string[] {
  return node.upstream.map((id) => `    ${id} >> ${node.id}`);
}

function renderNode(node: DagNode): string[] {
  if (node.task) {
    const lines = node.task.model === undefined ? renderTask(node.task) : renderScoringTask(node.task);
    // A skipped model task skips its gate too; what reads its output still runs, unless something failed.
    return node.optionalUpstream ? [...lines.slice(0, -1), '        trigger_rule="none_failed",', ...lines.slice(-1)] : lines;
  }
  const gate = node.gate;
  if (!gate) return [];
  return [
    `    ${node.id} = DqGateOperator(`,
    `        task_id="${node.id}",`,
    `        doc_md="DQ gate: ruleset ${gate.ruleset}; a failed blocking rule stops what reads the dataset",`,
    '        datasource={',
    `            "GlueTable": {`,
    `                "DatabaseName": f"{DATABASE_PREFIX}_${gate.zone}",`,
    `                "TableName": "${gate.dataset}",`,
    '                "AdditionalOptions": {"pushDownPredicate": BUSINESS_DATE_PARTITION},',
    '            },',
    '        },',
    '        role="{{ var.value.cur_glue_dq_role_arn }}",',
    `        rule_set_names=["${gate.ruleset}"],`,
    '        severity_label=DQ_SEVERITY_LABEL,',
    '        warning_severities=DQ_WARNING_SEVERITIES,',
    '        retries=0,  # a failed rule is not transient: the local runner never retries it either',
    '        region_name=REGION,',
    '        deferrable=True,',
    '    )',
  ];
}

function renderTask(task: PipelineTask): string[] {
  const datasetArg = task.dataset === undefined ? [] : [`"--dataset": "${task.dataset}", `];
  if (task.outputs.some((output) => output.zone === 'serving-store')) {
    return [
      `    ${task.id} = LambdaInvokeFunctionOperator(`,
      `        task_id="${task.id}",`,
      `        doc_md="""${task.description}""",`,
      // The serving-load app's Lambda, `cur-<stage>-<app>` as infra names every app's function.
      `        function_name=f"cur-{STAGE}-${SERVING_LOAD_APP}",`,
      `        payload=json.dumps({"step": "${task.step}", "businessDate": BUSINESS_DATE}),`,
      '        region_name=REGION,',
      '    )',
    ];
  }
  return [
    `    ${task.id} = GlueJobOperator(`,
    `        task_id="${task.id}",`,
    `        doc_md="""${task.description} (runs as ${task.runsAs})""",`,
    `        job_name=f"cur-{STAGE}-${task.step}",`,
    `        script_args={${datasetArg.join('')}"--business-date": BUSINESS_DATE},`,
    '        region_name=REGION,',
    '        wait_for_completion=True,',
    '        deferrable=True,',
    '    )',
  ];
}
