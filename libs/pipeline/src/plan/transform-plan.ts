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

/**
 * The transform of one source dataset and business date as a plan, without an in-place update: the rows typed and
 * checked once (`table`), the duplicates that lose (every passing row of a key after its first) found by the same
 * query as the step's, then one more table with their problem set to `DUPLICATE` by a left join (what the step's
 * `MERGE INTO` does in place, which Spark cannot do on plain Parquet). Outputs: the accepted rows and the rejects.
 *
 * Not yet what the step runs: the step keeps its in-place marking, whose accepted rows come out in the landing file's
 * order without a sort; a join gives no order.
 */
export function renderTransformPlan(options: TransformPlanOptions): StepPlanInput {
  const { dataset } = options;
  const sql = buildTransformSql(dataset, options.policy, options.dialect);
  const checked = `checked_${dataset.name}`;
  const duplicates = `duplicates_${dataset.name}`;
  const marked = `marked_${dataset.name}`;
  const columns = ['source_row', 'business_date', ...dataset.columns.map((column) => column.name)].map((column) => `c.${column}`).join(', ');
  return {
    version: PLAN_VERSION,
    step: 'transform',
    dataset: dataset.name,
    businessDate: options.businessDate,
    inputs: [{ format: 'parquet', name: `raw_${dataset.name}`, paths: [...options.raw], columns: null }],
    statements: [
      { kind: 'table', name: checked, sql: sql.checked },
      { kind: 'view', name: duplicates, sql: sql.duplicates(checked) },
      { kind: 'table', name: marked, sql: `SELECT ${columns}, CASE WHEN d.source_row IS NULL THEN c.problem ELSE 'DUPLICATE|' END AS problem FROM ${checked} c LEFT JOIN ${duplicates} d ON c.source_row = d.source_row` },
    ],
    outputs: [
      { name: dataset.name, sql: sql.accepted(marked), path: options.acceptedPath },
      { name: 'transform_rejects', sql: sql.rejects(marked, `${dataset.name}/${options.businessDate}`), path: options.rejectsPath },
    ],
  };
}
