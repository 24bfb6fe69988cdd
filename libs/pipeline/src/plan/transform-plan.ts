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
export const transformPlanTables = (dataset: string): { readonly checked: string; readonly duplicates: string; readonly marked: string } => ({
  checked: `checked_${dataset}`,
  duplicates: `duplicates_${dataset}`,
  marked: `marked_${dataset}`,
});

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
