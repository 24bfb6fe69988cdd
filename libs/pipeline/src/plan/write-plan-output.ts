import type { Hash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobStore } from '@cur/platform';
import { CurError } from '@cur/platform';
import { uploadZoneFile, type WrittenFile } from '../lake/lake-writer';
import { makeStepScratch } from '../scratch/scratch-folder';
import type { PlanExecutor } from './plan-executor';
import type { PlanResult, StepPlanInput } from './step-plan';

/** What {@link writePlanOutputs} produced: the plan's result and each output's file in the zone. */
export interface PlanOutputsWritten<N extends string> {
  readonly result: PlanResult;
  readonly files: Readonly<Record<N, WrittenFile>>;
}

/**
 * Runs a plan on the executor with each output in a fresh folder of the run's scratch area (`<dir>/<output name>`),
 * then puts each output's one file into the zone under its content-hash name: what `writeZoneFile` does for a bare
 * query, for a plan, on either engine.
 *
 * @param render - renders the plan given the folder of each named output
 * @param keyPrefixes - each output's partition prefix in `store`, by output name: exactly the plan's outputs
 * @param scratchDir - the run's scratch folder (see `PipelineDependencies.scratchDir`)
 * @throws CurError `PLAN_OUTPUT_UNEXPECTED` when the plan's outputs are not exactly those named, one file each
 */
export async function writePlanOutputs<N extends string>(
  executor: PlanExecutor,
  store: BlobStore,
  render: (outputPath: (name: N) => string) => StepPlanInput,
  keyPrefixes: Readonly<Record<N, string>>,
  scratchDir: string,
): Promise<PlanOutputsWritten<N>> {
  const dir = await makeStepScratch(scratchDir, 'plan-');
  try {
    const result = await executor.execute(render((name) => join(dir, name)));
    const names = Object.keys(keyPrefixes) as N[];
    if (result.outputs.length !== names.length) {
      throw new CurError('PLAN_OUTPUT_UNEXPECTED', `step ${result.step}, dataset ${result.dataset}: expected ${names.length} output(s) (${names.join(', ')}), got ${result.outputs.length}`);
    }
    const files = {} as Record<N, WrittenFile>;
    for (const name of names) files[name] = await uploadPlanOutput(store, result, name, keyPrefixes[name]);
    return { result, files };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * {@link writePlanOutputs} for a plan of one output.
 *
 * @param render - renders the plan given the folder its output goes to
 */
export async function writePlanOutput(executor: PlanExecutor, store: BlobStore, render: (outputPath: string) => StepPlanInput, keyPrefix: string, scratchDir: string): Promise<WrittenFile> {
  const dir = await makeStepScratch(scratchDir, 'plan-');
  try {
    const result = await executor.execute(render(join(dir, 'output')));
    const [output, ...others] = result.outputs;
    if (output === undefined || others.length > 0) throw new CurError('PLAN_OUTPUT_UNEXPECTED', `step ${result.step}, dataset ${result.dataset}: expected one output, got ${result.outputs.length}`);
    return await uploadPlanOutput(store, result, output.name, keyPrefix);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The named output's one file and its row count.
 *
 * @throws CurError `PLAN_OUTPUT_UNEXPECTED` when the plan wrote no such output, or not as one file
 */
export function planOutputFile(result: PlanResult, name: string): { readonly file: string; readonly rows: number } {
  const output = result.outputs.find((o) => o.name === name);
  const [file, ...more] = output?.files ?? [];
  if (output === undefined || file === undefined || more.length > 0) {
    throw new CurError('PLAN_OUTPUT_UNEXPECTED', `step ${result.step}, dataset ${result.dataset}: expected output ${name} as one file, got ${output === undefined ? 'no such output' : `${output.files.length} file(s)`}`);
  }
  return { file, rows: output.rows };
}

/**
 * Puts the named output's one file into the zone under its content-hash name.
 *
 * @param content - also fed the file's bytes (see `uploadZoneFile`)
 */
export async function uploadPlanOutput(store: BlobStore, result: PlanResult, name: string, keyPrefix: string, content?: Hash): Promise<WrittenFile> {
  const { file, rows } = planOutputFile(result, name);
  return uploadZoneFile(store, file, rows, keyPrefix, content);
}
