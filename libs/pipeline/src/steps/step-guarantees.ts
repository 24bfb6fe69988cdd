import { getDataset, isDatasetName } from '@cur/contracts';
import type { UniqueKeyGuarantee } from '@cur/dq';
import type { Manifest } from '@cur/lake';
import { ROW_NUMBER_COLUMN } from './mask-step';

/** The test that holds every guarantee below on a real run's outputs, named in the evidence DQ results carry. */
export const STEP_GUARANTEES_TEST = 'libs/pipeline/tests/integration/step-guarantees.test.ts';

/** What a run knows about the steps it ran. */
export interface StepGuaranteeContext {
  /** The run evaluating the gate: only outputs this run's own steps published carry a guarantee. */
  readonly runId: string;
  /** The engine this run masked with: the guarantee of `source_row` is the DuckDB mask step's. */
  readonly maskEngine: 'duckdb' | 'spark';
}

/**
 * The keys the step that published an output makes unique by construction, for the DQ gate to take from the step
 * instead of grouping every key (`uniqueByConstruction` of `evaluateRuleset`): the raw zone's `source_row` when this
 * run's DuckDB mask step wrote the partition (the extract's rows numbered 1 to n in file order, each once), and a
 * transformed dataset's primary key when this run's transform step wrote it (a row missing a key column is rejected
 * `MISSING_VALUE`, key columns being declared non-nullable; every passing row whose key repeats an earlier one is
 * rejected `DUPLICATE`). Anything else, an output of an earlier run, of another step or of the Spark mask job,
 * gets none: every rule is measured. Glue Data Quality measures them all in AWS, and `cur dq check` does locally.
 *
 * @param manifest - the published output the gate checks
 * @param context - the run evaluating the gate
 * @returns the guarantees, each with its evidence (step, mechanism, test), empty when there are none
 * @example
 * const guarantees = uniqueKeysGuaranteedBy(manifest, { runId, maskEngine: 'duckdb' });
 */
export function uniqueKeysGuaranteedBy(manifest: Manifest, context: StepGuaranteeContext): UniqueKeyGuarantee[] {
  if (manifest.runId !== context.runId) return [];
  if (manifest.zone === 'raw' && manifest.step === 'mask' && context.maskEngine === 'duckdb') {
    return [{ columns: [ROW_NUMBER_COLUMN], evidence: `the DuckDB mask step of this run numbered the extract's rows 1 to ${manifest.rowCount} in file order, each once; held by ${STEP_GUARANTEES_TEST}` }];
  }
  if (manifest.zone === 'transformed' && manifest.step === 'transform' && isDatasetName(manifest.dataset)) {
    return [
      {
        columns: getDataset(manifest.dataset).primaryKey,
        evidence: `the transform step of this run rejected every row missing a key column (MISSING_VALUE) and every passing row repeating an earlier row's key (DUPLICATE); held by ${STEP_GUARANTEES_TEST}`,
      },
    ];
  }
  return [];
}
