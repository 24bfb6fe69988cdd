import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobStore, SqlEngine } from '@cur/platform';
import { CurError } from '@cur/platform';
import { uploadZoneFile, type WrittenFile } from '../lake/lake-writer';
import { makeStepScratch } from '../scratch/scratch-folder';
import { executePlan } from './execute-plan';
import type { StepPlanInput } from './step-plan';

/**
 * Runs a one-output plan on the engine with its output in a fresh folder of the run's scratch area, then puts the
 * file into the zone under its content-hash name: what `writeZoneFile` does for a bare query, for a plan.
 *
 * @param render - renders the plan given the folder its output goes to
 * @param scratchDir - the run's scratch folder (see `PipelineDependencies.scratchDir`)
 */
export async function writePlanOutput(engine: SqlEngine, store: BlobStore, render: (outputPath: string) => StepPlanInput, keyPrefix: string, scratchDir: string): Promise<WrittenFile> {
  const dir = await makeStepScratch(scratchDir, 'plan-');
  try {
    const result = await executePlan(engine, render(join(dir, 'output')));
    const [output, ...others] = result.outputs;
    const [file, ...moreFiles] = output?.files ?? [];
    if (output === undefined || file === undefined || others.length > 0 || moreFiles.length > 0) {
      throw new CurError('PLAN_OUTPUT_UNEXPECTED', `step ${result.step}, dataset ${result.dataset}: expected one output of one file, got ${result.outputs.length} output(s)`);
    }
    return await uploadZoneFile(store, file, output.rows, keyPrefix);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
