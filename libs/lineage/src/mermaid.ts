import { ZONES } from '@cur/contracts';
import { pipelineTasks } from './task-graph';
import type { LineageStep, ZoneDataset } from './types/lineage-step';

/**
 * The pipeline's dataset graph as a Mermaid flowchart for a person: one box per zone, left to right (landing, raw,
 * transformed, consumption, mart, then the serving store), one node per dataset, one edge per hop labelled with the
 * step that makes it.
 *
 * @param steps - the pipeline definition (`PIPELINE_STEPS`)
 * @returns Mermaid source, starting `flowchart LR`
 * @example
 * console.log(renderLineageMermaid(PIPELINE_STEPS));
 */
export function renderLineageMermaid(steps: readonly LineageStep[]): string {
  const tasks = pipelineTasks(steps);
  const nodes = new Map<string, ZoneDataset>();
  const edges = new Set<string>();
  const id = (ref: ZoneDataset): string => `${ref.zone.replace('-', '_')}__${ref.dataset}`;
  for (const task of tasks) {
    for (const ref of [...task.inputs, ...task.outputs]) nodes.set(id(ref), ref);
    for (const input of task.inputs) for (const output of task.outputs) edges.add(`  ${id(input)} -->|${task.step}| ${id(output)}`);
  }
  const lines = ['flowchart LR'];
  for (const zone of [...ZONES, 'serving-store'] as const) {
    const inZone = [...nodes.entries()].filter(([, ref]) => ref.zone === zone);
    if (inZone.length === 0) continue;
    lines.push(`  subgraph ${zone.replace('-', '_')}["${zone}"]`, '    direction TB');
    for (const [nodeId, ref] of inZone) lines.push(`    ${nodeId}[("${ref.dataset}")]`);
    lines.push('  end');
  }
  lines.push(...edges);
  return `${lines.join('\n')}\n`;
}
