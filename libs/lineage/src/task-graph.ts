import { SERVING_STORE_DATASET } from './constants';
import type { LineageStep, PipelineTask, ZoneDataset } from './types/lineage-step';

/**
 * The pipeline's task graph, derived from its definition alone, so the DAG, the lineage and the local runner agree.
 *
 * A step whose every input is also one of its outputs (mask, transform) runs once per input dataset: the task reads
 * that dataset and writes its namesake plus the step's outputs that are not inputs (transform's rejects). Any other
 * step is one task. An input is read from the zone of the latest earlier step that writes it, else from the step's
 * `from` zone; a task depends on the tasks that write what it reads. A step to the serving store that names no
 * output writes the serving store's one table, `serving`.
 *
 * @param steps - the pipeline definition, in dependency order (`PIPELINE_STEPS`)
 * @returns the tasks in definition order
 * @throws Error when two tasks would get the same id
 * @example
 * pipelineTasks(PIPELINE_STEPS).map((task) => task.id); // ['mask_customer_profile', ..., 'serving']
 */
export function pipelineTasks(steps: readonly LineageStep[]): PipelineTask[] {
  const writers = new Map<string, string[]>(); // `${zone}.${dataset}` -> ids of tasks that write it
  const latestZone = new Map<string, ZoneDataset['zone']>(); // dataset -> zone of its latest writer so far
  const tasks: PipelineTask[] = [];
  for (const step of steps) {
    const resolve = (dataset: string): ZoneDataset => ({ zone: latestZone.get(dataset) ?? step.from, dataset });
    const fansOut = step.inputs.length > 0 && step.inputs.every((input) => step.outputs.includes(input));
    const shared = step.outputs.filter((output) => !step.inputs.includes(output));
    // The serving step writes the serving store, one table, which the definition leaves implicit.
    const outputs = step.to === 'serving-store' && step.outputs.length === 0 ? [SERVING_STORE_DATASET] : step.outputs;
    const planned = fansOut
      ? step.inputs.map((dataset) => ({ id: `${step.name}_${dataset}`, dataset, inputs: [resolve(dataset)], outputs: [dataset, ...shared] }))
      : [{ id: step.name, dataset: undefined, inputs: step.inputs.map(resolve), outputs: [...outputs] }];
    const created: PipelineTask[] = planned.map((task) => {
      if (tasks.some((existing) => existing.id === task.id)) throw new Error(`pipeline task '${task.id}' is declared twice`);
      const upstream = new Set(task.inputs.flatMap((input) => writers.get(`${input.zone}.${input.dataset}`) ?? []));
      return {
        id: task.id,
        step: step.name,
        ...(task.dataset === undefined ? {} : { dataset: task.dataset }),
        description: step.description,
        runsAs: step.runsAs,
        ...(step.model === undefined ? {} : { model: step.model }),
        inputs: task.inputs,
        outputs: task.outputs.map((dataset) => ({ zone: step.to, dataset })),
        upstreamTaskIds: tasks.filter((existing) => upstream.has(existing.id)).map((existing) => existing.id),
      };
    });
    for (const task of created) {
      tasks.push(task);
      for (const output of task.outputs) {
        const key = `${output.zone}.${output.dataset}`;
        writers.set(key, [...(writers.get(key) ?? []), task.id]);
      }
    }
    for (const output of outputs) latestZone.set(output, step.to);
  }
  return tasks;
}
