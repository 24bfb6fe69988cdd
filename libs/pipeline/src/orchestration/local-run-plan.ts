import { DATASET_NAMES } from '@cur/contracts';
import { CurError } from '@cur/platform';

/**
 * The pipeline's task graph, as the MWAA DAG has it: what `cur lineage dag --graph` writes to
 * libs/pipeline-dag/pipeline-graph.json (libs/lineage's `airflowDagGraph` over `PIPELINE_STEPS` and libs/dq's
 * rulesets). Declared here by shape: libs/pipeline does not import libs/lineage; the CLI passes the graph.
 */
export interface PipelineTaskGraph {
  readonly dagId: string;
  /** `step` is `dq` for a gate (id `dq_<zone>_<dataset>`), whose `dataset` is the one it checks. */
  readonly tasks: readonly { readonly id: string; readonly step: string; readonly dataset: string | null; readonly upstream: readonly string[] }[];
}

/** What `runPipeline` runs, read from the task graph. */
export interface LocalRunPlan {
  /** The datasets with a mask task: an accepted batch of any other dataset is not masked. */
  readonly masks: ReadonlySet<string>;
  /** The datasets with a transform task, in the graph's order: the order the runner transforms a date's datasets. */
  readonly transforms: readonly string[];
  /** The gates, as `<zone>/<dataset>`: a dataset the graph names, of a zone without one, is not gated. */
  readonly gates: ReadonlySet<string>;
  /** Every dataset a task of the graph names: the runner's gates of any other dataset are not the graph's to drop. */
  readonly datasets: ReadonlySet<string>;
  /** The transforms (datasets) the consumption task waits for, through their gates; empty without a consumption task. */
  readonly consumptionAfter: readonly string[];
  readonly consumption: boolean;
  /** Whether the scoring step (model tags) runs, after the consumption gates and before the mart. */
  readonly score: boolean;
  readonly mart: boolean;
  readonly serving: boolean;
}

/** The code of a graph the local runner cannot run; the run is refused before anything starts. */
export const TASK_GRAPH_UNSUPPORTED = 'TASK_GRAPH_UNSUPPORTED';

/**
 * The local runner's order: a task may depend only on tasks of an earlier stage (a gate sits just after what it
 * checks). `runPipeline` runs the stages in this order, so a graph with any other edge is refused rather than run in
 * an order it does not declare.
 */
const STAGES: Record<string, number> = { mask: 0, 'dq:raw': 1, transform: 2, 'dq:transformed': 3, consumption: 4, 'dq:consumption': 5, score: 6, 'dq:score': 7, mart: 8, serving: 9 };
const GATED_ZONES = ['raw', 'transformed', 'consumption'] as const;
const ONE_TASK_STEPS = ['consumption', 'score', 'mart', 'serving'] as const;

/**
 * Reads the task graph into what the local runner runs, or refuses it (`TASK_GRAPH_UNSUPPORTED`, naming the task):
 * a step kind it has no step for, a dataset it does not know, an upstream task the graph does not have, a cycle, an
 * edge against its order, a transform not after its own dataset's mask (or that mask's raw gate), a second
 * consumption, mart or serving task, or a later step without the one it needs before it.
 */
export function localRunPlan(graph: PipelineTaskGraph): LocalRunPlan {
  const refuse = (message: string): never => {
    throw new CurError(TASK_GRAPH_UNSUPPORTED, `task graph ${graph.dagId}: ${message}; cur run cannot run it`);
  };
  const ids = new Set<string>();
  const stageOf = new Map<string, string>();
  const gateZones = new Map<string, string>();
  const scoreIds = new Set(graph.tasks.filter((t) => t.step === 'score').map((t) => t.id));
  for (const task of graph.tasks) {
    if (ids.has(task.id)) refuse(`task ${task.id} is declared twice`);
    ids.add(task.id);
    let stage = task.step;
    if (task.step === 'dq') {
      const zone = GATED_ZONES.find((z) => task.id === `dq_${z}_${task.dataset ?? ''}`);
      if (!zone) refuse(`gate ${task.id} is not dq_<raw|transformed|consumption>_<dataset>`);
      gateZones.set(task.id, zone as string);
      // The gate of the scoring step's output runs after that step, later than the consumption step's gates.
      stage = task.upstream.some((id) => scoreIds.has(id)) ? 'dq:score' : `dq:${zone}`;
    }
    if (!(stage in STAGES)) refuse(`task ${task.id} has step ${task.step}, which the local runner has no step for`);
    if ((task.step === 'mask' || task.step === 'transform') && !(DATASET_NAMES as readonly string[]).includes(task.dataset ?? '')) refuse(`task ${task.id} names dataset ${String(task.dataset)}, which is not a source dataset`);
    stageOf.set(task.id, stage);
  }
  for (const step of ONE_TASK_STEPS) if (graph.tasks.filter((t) => t.step === step).length > 1) refuse(`more than one ${step} task`);
  const byId = new Map(graph.tasks.map((task) => [task.id, task]));
  for (const task of graph.tasks) {
    for (const upstream of task.upstream) {
      if (!ids.has(upstream)) refuse(`task ${task.id} depends on ${upstream}, which the graph does not have`);
      if ((STAGES[stageOf.get(upstream) ?? ''] ?? 0) >= (STAGES[stageOf.get(task.id) ?? ''] ?? 0)) refuse(`task ${task.id} depends on ${upstream}, against the local runner's order (mask, raw gates, transform, transformed gates, consumption, its gates, score, its gate, mart, serving)`);
    }
  }
  // Stages strictly increase along every edge, so the graph has no cycle; what a task needs is its ancestors.
  const ancestors = (id: string, seen = new Set<string>()): Set<string> => {
    for (const upstream of byId.get(id)?.upstream ?? []) if (!seen.has(upstream)) ancestors(upstream, seen.add(upstream));
    return seen;
  };
  const transformTasks = graph.tasks.filter((t) => t.step === 'transform');
  for (const task of transformTasks) {
    const before = ancestors(task.id);
    for (const id of before) {
      const other = byId.get(id);
      if (other && other.dataset !== task.dataset) refuse(`task ${task.id} depends on ${id}, another dataset's: the local runner transforms a dataset after its own mask only`);
    }
  }
  const single = (step: string): { id: string } | undefined => graph.tasks.find((t) => t.step === step);
  const consumption = single('consumption');
  const score = single('score');
  const mart = single('mart');
  const serving = single('serving');
  const consumptionAfter = consumption ? transformTasks.filter((t) => ancestors(consumption.id).has(t.id)).map((t) => t.dataset as string) : [];
  if (consumption && consumptionAfter.length === 0) refuse(`task ${consumption.id} depends on no transform`);
  if (score && !(consumption && ancestors(score.id).has(consumption.id))) refuse(`task ${score.id} does not depend on the consumption task`);
  if (mart && !(consumption && ancestors(mart.id).has(consumption.id))) refuse(`task ${mart.id} does not depend on the consumption task`);
  if (serving && !(mart && ancestors(serving.id).has(mart.id))) refuse(`task ${serving.id} does not depend on the mart task`);
  return {
    masks: new Set(graph.tasks.filter((t) => t.step === 'mask').map((t) => t.dataset as string)),
    transforms: transformTasks.map((t) => t.dataset as string),
    gates: new Set(graph.tasks.filter((t) => t.step === 'dq').map((t) => `${gateZones.get(t.id) ?? ''}/${t.dataset ?? ''}`)),
    datasets: new Set(graph.tasks.flatMap((t) => (t.dataset === null ? [] : [t.dataset]))),
    consumptionAfter,
    consumption: Boolean(consumption),
    score: Boolean(score),
    mart: Boolean(mart),
    serving: Boolean(serving),
  };
}
