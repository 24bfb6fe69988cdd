import type { DatasetSpec } from '@cur/contracts';
import type { MaskingPolicy } from '@cur/policy';
import type { SqlDialect } from '../sql/sql-dialect';
import { buildTransformSql } from '../sql/transform-sql';
import { PLAN_VERSION, type StepPlanInput } from './step-plan';

/** What a transform plan reads and where it writes. */
export interface TransformPlanOptions {
  readonly dataset: DatasetSpec;
  readonly businessDate: string;
  /** The published raw files of the dataset and date. */
  readonly raw: readonly string[];
  readonly policy: MaskingPolicy;
  readonly dialect: SqlDialect;
  /** The folder of the accepted rows. */
  readonly acceptedPath: string;
  /** The folder of the rejects (the transform_rejects rows of this batch). */
  readonly rejectsPath: string;
}

/** The names of a transform plan's tables, the rows-in count of the accounting identity among them. */
export const transformPlanTables = (dataset: string): { readonly checked: string; readonly duplicates: string; readonly marked: string; readonly candidates: string } => ({
  checked: `checked_${dataset}`,
  duplicates: `duplicates_${dataset}`,
  marked: `marked_${dataset}`,
  candidates: `candidates_${dataset}`,
});

/** The output names of a part's plan besides the accepted rows (named after the dataset). */
export const TRANSFORM_PART_OUTPUTS = { rejects: 'transform_rejects', candidates: 'candidate_rows' } as const;

/** The output name of the key candidates plan. */
export const KEY_CANDIDATES_OUTPUT = 'key_candidates';

/**
 * The transform of one source dataset and business date as a plan, without an in-place update: the rows typed and
 * checked once (`table`, so its count is the rows in), the duplicates that lose (every passing row of a key after its
 * first; usually a handful, so a `table`), then a view marking their problem `DUPLICATE` by a left join (what a `MERGE
 * INTO` would do in place, which Spark cannot do on plain Parquet). Outputs: the accepted rows, sorted by source row
 * so a rerun writes the same bytes, and the rejects (sorted too).
 *
 * @example
 * const plan = renderTransformPlan({ dataset: getDataset('customer_profile'), businessDate, raw, policy, dialect: SPARK_DIALECT, acceptedPath, rejectsPath });
 */
export function renderTransformPlan(options: TransformPlanOptions): StepPlanInput {
  const { dataset } = options;
  const sql = buildTransformSql(dataset, options.policy, options.dialect);
  const { checked, duplicates, marked } = transformPlanTables(dataset.name);
  return {
    version: PLAN_VERSION,
    step: 'transform',
    dataset: dataset.name,
    businessDate: options.businessDate,
    inputs: [{ format: 'parquet', name: `raw_${dataset.name}`, paths: [...options.raw], columns: null }],
    statements: [
      { kind: 'table', name: checked, sql: sql.checked },
      { kind: 'table', name: duplicates, sql: sql.duplicates(checked) },
      { kind: 'view', name: marked, sql: sql.marked(checked, duplicates) },
    ],
    outputs: [
      { name: dataset.name, sql: sql.accepted(marked), path: options.acceptedPath },
      { name: 'transform_rejects', sql: sql.rejects(marked, `${dataset.name}/${options.businessDate}`), path: options.rejectsPath },
    ],
  };
}

/** What the key candidates plan of a batch transformed in parts reads and where it writes. */
export type KeyCandidatesPlanOptions = Omit<TransformPlanOptions, 'acceptedPath' | 'rejectsPath'> & {
  /** The folder of the key candidates (a scratch folder: hashes only, kept while the step runs). */
  readonly outputPath: string;
};

/**
 * The first plan of a batch transformed in parts: the hashes of the typed keys that more than one raw row has, from
 * the key columns of every raw file. Its output is the `keyCandidates` input of every part's plan.
 */
export function renderKeyCandidatesPlan(options: KeyCandidatesPlanOptions): StepPlanInput {
  const sql = buildTransformSql(options.dataset, options.policy, options.dialect);
  return {
    version: PLAN_VERSION,
    step: 'transform',
    dataset: options.dataset.name,
    businessDate: options.businessDate,
    inputs: [{ format: 'parquet', name: `raw_${options.dataset.name}`, paths: [...options.raw], columns: null }],
    statements: [],
    outputs: [{ name: KEY_CANDIDATES_OUTPUT, sql: sql.keyCandidates, path: options.outputPath }],
  };
}

/** What one part's plan of a batch transformed in parts reads and writes, besides what the whole batch's would. */
export type TransformPartPlanOptions = TransformPlanOptions & {
  /** The key candidates plan's output file(s). */
  readonly keyCandidates: readonly string[];
  /** The candidate rows written by the plans of the parts before this one, in part order; none for the first. */
  readonly earlierCandidates: readonly string[];
  /** The folder of this part's candidate rows (a scratch folder). */
  readonly candidatesPath: string;
};

/**
 * One part of a batch transformed in parts (`raw`: that part's raw file, its rows a contiguous run of the batch's
 * source rows, the parts taken in row order): the whole batch's plan with the duplicate search narrowed to the rows
 * whose key hash is a candidate (see {@link renderKeyCandidatesPlan}), those of this part compared with those of the
 * parts before it, so the first passing row of a key wins across parts as it does in one plan. A third output holds
 * this part's candidate rows for the parts after it. Each part holds only its own rows, so a batch too large for the
 * engine's memory is transformed in parts of the size the mask step wrote, without spilling the whole batch.
 */
export function renderTransformPartPlan(options: TransformPartPlanOptions): StepPlanInput {
  const { dataset } = options;
  const sql = buildTransformSql(dataset, options.policy, options.dialect);
  const { checked, duplicates, marked, candidates } = transformPlanTables(dataset.name);
  const [keyCandidates, earlier] = [`key_candidates_${dataset.name}`, `earlier_candidates_${dataset.name}`];
  return {
    version: PLAN_VERSION,
    step: 'transform',
    dataset: dataset.name,
    businessDate: options.businessDate,
    inputs: [
      { format: 'parquet', name: `raw_${dataset.name}`, paths: [...options.raw], columns: null },
      { format: 'parquet', name: keyCandidates, paths: [...options.keyCandidates], columns: null },
      ...(options.earlierCandidates.length > 0 ? [{ format: 'parquet' as const, name: earlier, paths: [...options.earlierCandidates], columns: null }] : []),
    ],
    statements: [
      { kind: 'table', name: checked, sql: sql.checked },
      { kind: 'table', name: candidates, sql: sql.candidateRows(checked, keyCandidates) },
      { kind: 'table', name: duplicates, sql: sql.partDuplicates(candidates, options.earlierCandidates.length > 0 ? earlier : undefined) },
      { kind: 'view', name: marked, sql: sql.marked(checked, duplicates) },
    ],
    outputs: [
      { name: dataset.name, sql: sql.accepted(marked), path: options.acceptedPath },
      { name: TRANSFORM_PART_OUTPUTS.rejects, sql: sql.rejects(marked, `${dataset.name}/${options.businessDate}`), path: options.rejectsPath },
      { name: TRANSFORM_PART_OUTPUTS.candidates, sql: `SELECT * FROM ${candidates}`, path: options.candidatesPath },
    ],
  };
}
