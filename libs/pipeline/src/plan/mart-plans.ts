import { getDataset } from '@cur/contracts';
import { segmentMetricsSql, tagMetricsSql } from '../sql/mart-sql';
import type { SqlDialect } from '../sql/sql-dialect';
import { datasetSource } from './dataset-input';
import { PLAN_VERSION, type StepPlanInput } from './step-plan';

/** The mart's datasets, each one plan. */
export const MART_DATASETS = ['tag_metrics_monthly', 'segment_metrics_monthly'] as const;

/** One mart dataset. */
export type MartDataset = (typeof MART_DATASETS)[number];

/** What a mart plan reads and where it writes. */
export interface MartPlanOptions {
  readonly dataset: MartDataset;
  readonly businessDate: string;
  /** The published customer_features files of the date. */
  readonly features: readonly string[];
  /** The published customer_tags files of the date (tag metrics only). */
  readonly tags: readonly string[];
  /** The date's published model_tags files (tag metrics only), when the run scored its customers. @default none */
  readonly modelTags?: readonly string[];
  /** The dataset's files of the previous month's latest date; none in a first month. */
  readonly previous: readonly string[];
  /** The folder the output is written to. */
  readonly outputPath: string;
  readonly dialect: SqlDialect;
}

/**
 * The plan of one mart dataset for a business date: consumption (features, rule and model tags) and the previous month's metrics in,
 * the month's metrics with month-over-month change out. The SQL is `tagMetricsSql` / `segmentMetricsSql`.
 *
 * @example
 * const plan = renderMartPlan({ dataset: 'segment_metrics_monthly', businessDate, features, tags: [], previous: [], outputPath, dialect: SPARK_DIALECT });
 */
export function renderMartPlan(options: MartPlanOptions): StepPlanInput {
  const tagMetrics = options.dataset === 'tag_metrics_monthly';
  const previous = datasetSource(tagMetrics ? 'm_tag_previous' : 'm_segment_previous', options.previous, getDataset(options.dataset), options.dialect);
  const modelTags = tagMetrics ? datasetSource('f_model_tags', options.modelTags ?? [], getDataset('model_tags'), options.dialect) : { inputs: [], statements: [] };
  return {
    version: PLAN_VERSION,
    step: 'mart',
    dataset: options.dataset,
    businessDate: options.businessDate,
    inputs: [
      { format: 'parquet', name: 'f_customer_features', paths: [...options.features], columns: null },
      ...(tagMetrics ? [{ format: 'parquet' as const, name: 'f_customer_tags', paths: [...options.tags], columns: null }] : []),
      ...modelTags.inputs,
      ...previous.inputs,
    ],
    statements: [...modelTags.statements, ...previous.statements],
    outputs: [{ name: options.dataset, sql: (tagMetrics ? tagMetricsSql : segmentMetricsSql)(options.businessDate, options.dialect), path: options.outputPath }],
  };
}
