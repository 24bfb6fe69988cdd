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
}

/** The graph the DAG must have, for the DAG's own tests: each task with its step, dataset and upstream tasks. */
export interface AirflowDagGraph {
  readonly dagId: string;
  readonly tasks: readonly { readonly id: string; readonly step: string; readonly dataset: string | null; readonly upstream: readonly string[] }[];
}

/** The command that regenerates the DAG folder's files. */
export const AIRFLOW_DAG_COMMAND = 'npx cur lineage dag --out libs/pipeline-dag/dags --graph libs/pipeline-dag/pipeline-graph.json';

/**
 * The pipeline's task graph as an MWAA DAG (Airflow 3, `apache-airflow-providers-amazon`), generated from the
 * definition: one task per step and dataset ({@link pipelineTasks}), a Glue job per data step (deferrable), a Lambda
 * invocation for the serving load, retries and a timeout on every task, and a failure callback that publishes to the
 * `pipeline-failures` topic with the task and the business date only. One DAG run per business date: the date (and
 * the batch) come in the run's conf.
 *
 * @param steps - the pipeline definition (`PIPELINE_STEPS`)
 * @param options - DAG id, retries, timeout
 * @returns the Python source of the DAG file
 */
export function renderAirflowDag(steps: readonly LineageStep[], options: AirflowDagOptions = {}): string {
  const dagId = options.dagId ?? 'cur_pipeline';
  const tasks = pipelineTasks(steps);
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
    'import json',
    'import os',
    'from datetime import timedelta',
    '',
    'import pendulum',
    'from airflow.providers.amazon.aws.notifications.sns import SnsNotifier',
    'from airflow.providers.amazon.aws.operators.glue import GlueJobOperator',
    'from airflow.providers.amazon.aws.operators.lambda_function import LambdaInvokeFunctionOperator',
    'from airflow.sdk import DAG',
    '',
    '#: The stage and region, from the MWAA environment (its environment variables).',
    'STAGE = os.environ.get("CUR_STAGE", "dev")',
    'REGION = os.environ.get("AWS_REGION", "ap-northeast-1")',
    '#: The business date of the run, from its conf.',
    `BUSINESS_DATE = "{{ dag_run.conf['businessDate'] }}"`,
    '',
    '#: A failed task publishes its id and the business date to `pipeline-failures`: never a value, never an error text.',
    'NOTIFY_FAILURE = SnsNotifier(',
    '    target_arn="{{ var.value.cur_pipeline_failures_topic_arn }}",',
    '    subject="CUR pipeline: {{ ti.task_id }} failed",',
    `    message="Task {{ ti.task_id }} of run {{ run_id }} failed for business date {{ dag_run.conf['businessDate'] }}.",`,
    '    region_name=REGION,',
    ')',
    '',
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
    ...tasks.flatMap((task) => renderTask(task)),
    '',
    ...tasks.flatMap((task) => dependencyLines(task)),
  ];
  return `${lines.join('\n')}\n`;
}

/** The graph {@link renderAirflowDag} draws, as JSON for the DAG's tests (what TypeScript defines reaches Python as JSON). */
export function airflowDagGraph(steps: readonly LineageStep[], options: AirflowDagOptions = {}): AirflowDagGraph {
  return {
    dagId: options.dagId ?? 'cur_pipeline',
    tasks: pipelineTasks(steps).map((task) => ({ id: task.id, step: task.step, dataset: task.dataset ?? null, upstream: task.upstreamTaskIds })),
  };
}

/** `upstream >> task`, a list of upstream tasks on one line, or one per line past ruff's 120 characters. */
function dependencyLines(task: PipelineTask): string[] {
  const ids = task.upstreamTaskIds;
  if (ids.length === 0) return [];
  const line = `    ${ids.length === 1 ? (ids[0] ?? '') : `[${ids.join(', ')}]`} >> ${task.id}`;
  return line.length <= 120 ? [line] : ['    [', ...ids.map((id) => `        ${id},`), `    ] >> ${task.id}`];
}

function renderTask(task: PipelineTask): string[] {
  const datasetArg = task.dataset === undefined ? [] : [`"--dataset": "${task.dataset}", `];
  if (task.outputs.some((output) => output.zone === 'serving-store')) {
    return [
      `    ${task.id} = LambdaInvokeFunctionOperator(`,
      `        task_id="${task.id}",`,
      `        doc_md="""${task.description}""",`,
      `        function_name=f"cur-{STAGE}-${task.step}-load",`,
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
