import { defineDataset } from '../dataset-spec';
import { BUSINESS_DATE_PARTITION, SOURCE_DATASET_PARTITION } from './partitions';

/**
 * Datasets the pipeline derives. Their identifier columns hold the tokens the mask step wrote; they are classified
 * like the source columns they come from, so the policy describes them the same way and nothing re-masks them.
 */
const customerToken = { name: 'cust_id', type: 'string', nullable: false, classification: 'direct', semantic: 'national_id', maxLength: 64, description: 'customer token (FF1 of the national ID)' } as const;

/** Rows the transform step could not use, with a coded reason; masked values only. */
export const transformRejects = defineDataset({
  name: 'transform_rejects',
  description: 'Rows the transform step rejected, one per row and reason',
  owner: 'data-engineering',
  schemaVersion: 1,
  zones: ['transformed'],
  columns: [
    { name: 'batch_id', type: 'string', nullable: false, classification: 'public', description: 'the landing batch, <dataset>/<business date>' },
    { name: 'dataset', type: 'string', nullable: false, classification: 'public', description: 'the source dataset' },
    { name: 'row_number', type: 'bigint', nullable: false, classification: 'public', description: '1-based data row in the landing file' },
    { name: 'reason_code', type: 'string', nullable: false, classification: 'public', description: 'why the row was rejected, e.g. INVALID_DATE' },
    { name: 'column_name', type: 'string', nullable: true, classification: 'public', description: 'the column at fault, if one' },
  ],
  primaryKey: ['batch_id', 'row_number', 'reason_code'],
  partitionColumns: [SOURCE_DATASET_PARTITION, BUSINESS_DATE_PARTITION],
});

/** One row per customer: the features segments and tags are computed from (a DRV table). */
export const customerFeatures = defineDataset({
  name: 'customer_features',
  description: 'Customer features as of the business date: demographics, AUM, card spend, digital engagement, tenure',
  owner: 'data-science',
  schemaVersion: 1,
  zones: ['consumption'],
  columns: [
    customerToken,
    { name: 'age_band', type: 'string', maxLength: 8, nullable: true, classification: 'public', description: 'age band from the birth year (18-24, 25-34, ...)' },
    { name: 'gender', type: 'string', maxLength: 1, nullable: true, classification: 'public', description: 'M or F' },
    { name: 'branch_code', type: 'string', maxLength: 8, nullable: true, classification: 'public', description: 'home branch' },
    { name: 'risk_level', type: 'int', nullable: true, classification: 'public', description: 'KYC risk level 1-5' },
    { name: 'tenure_months', type: 'int', nullable: true, classification: 'public', description: 'months since the relationship started' },
    { name: 'aum_total', type: 'decimal(18,2)', nullable: false, classification: 'public', description: 'assets under management in TWD (deposits, funds, insurance)' },
    { name: 'aum_deposit', type: 'decimal(18,2)', nullable: false, classification: 'public', description: 'savings and time deposits in TWD' },
    { name: 'aum_investment', type: 'decimal(18,2)', nullable: false, classification: 'public', description: 'funds and insurance in TWD' },
    { name: 'loan_balance', type: 'decimal(18,2)', nullable: false, classification: 'public', description: 'loan balances in TWD' },
    { name: 'card_spend_1m', type: 'decimal(18,2)', nullable: false, classification: 'public', description: 'card spend in TWD over the last month' },
    { name: 'card_spend_3m', type: 'decimal(18,2)', nullable: false, classification: 'public', description: 'card spend in TWD over the last 3 months' },
    { name: 'card_spend_6m', type: 'decimal(18,2)', nullable: false, classification: 'public', description: 'card spend in TWD over the last 6 months' },
    { name: 'card_txn_count_1m', type: 'int', nullable: false, classification: 'public', description: 'card transactions over the last month' },
    { name: 'top_mcc_1m', type: 'string', maxLength: 4, nullable: true, classification: 'public', description: 'merchant category with the most spend over the last month' },
    { name: 'digital_events_30d', type: 'int', nullable: false, classification: 'public', description: 'digital banking events over the last 30 days' },
    { name: 'digital_logins_30d', type: 'int', nullable: false, classification: 'public', description: 'logins over the last 30 days' },
    { name: 'app_share', type: 'double', nullable: true, classification: 'public', description: 'share of digital events in the mobile app' },
    { name: 'segment', type: 'string', maxLength: 16, nullable: false, classification: 'public', description: 'value segment (PRIVATE, AFFLUENT, MASS_AFFLUENT, MASS)' },
  ],
  primaryKey: ['cust_id'],
  partitionColumns: [BUSINESS_DATE_PARTITION],
  // What someone could know of a customer from elsewhere: tenure in months is the open month restated.
  quasiIdentifiers: ['age_band', 'gender', 'branch_code', 'tenure_months'],
});

/** One row per customer and tag the customer carries (a DRV table). */
export const customerTags = defineDataset({
  name: 'customer_tags',
  description: 'The tags each customer carries as of the business date',
  owner: 'data-science',
  schemaVersion: 1,
  zones: ['consumption'],
  columns: [customerToken, { name: 'tag', type: 'string', maxLength: 64, nullable: false, classification: 'public', description: 'tag name, see the tag definitions' }],
  primaryKey: ['cust_id', 'tag'],
  partitionColumns: [BUSINESS_DATE_PARTITION],
});

/**
 * One row per customer and model tag: the customers the scoring version scored at or above its threshold (a DRV
 * table, written by the scoring step beside the rule-based `customer_tags`). Scores themselves are not kept.
 */
export const modelTags = defineDataset({
  name: 'model_tags',
  description: 'The model-based tags each customer carries as of the business date, with the model version that gave each',
  owner: 'data-science',
  schemaVersion: 1,
  zones: ['consumption'],
  columns: [
    customerToken,
    { name: 'tag', type: 'string', maxLength: 64, nullable: false, classification: 'public', description: 'model tag name: the target tag with _propensity' },
    { name: 'model_version', type: 'string', maxLength: 128, nullable: false, classification: 'public', description: 'the model version (training job) whose score gave the tag' },
  ],
  primaryKey: ['cust_id', 'tag'],
  partitionColumns: [BUSINESS_DATE_PARTITION],
});

/** Tag counts and averages by branch and month, with month-over-month change. */
export const tagMetricsMonthly = defineDataset({
  name: 'tag_metrics_monthly',
  description: 'Customers per tag and branch, with averages and month-over-month change',
  owner: 'data-analytics',
  schemaVersion: 1,
  zones: ['mart'],
  columns: [
    { name: 'month', type: 'string', maxLength: 7, nullable: false, classification: 'public', description: 'YYYY-MM of the business date' },
    { name: 'branch_code', type: 'string', maxLength: 8, nullable: false, classification: 'public', description: 'home branch' },
    { name: 'tag', type: 'string', maxLength: 64, nullable: false, classification: 'public', description: 'tag name' },
    { name: 'customers', type: 'bigint', nullable: false, classification: 'public', description: 'customers carrying the tag' },
    { name: 'avg_aum', type: 'decimal(18,2)', nullable: true, classification: 'public', description: 'average AUM of those customers' },
    { name: 'avg_card_spend_1m', type: 'decimal(18,2)', nullable: true, classification: 'public', description: 'average card spend over the last month' },
    { name: 'customers_prev_month', type: 'bigint', nullable: true, classification: 'public', description: 'customers carrying the tag the month before' },
    { name: 'mom_change', type: 'double', nullable: true, classification: 'public', description: 'month-over-month change of customers, as a fraction' },
  ],
  primaryKey: ['month', 'branch_code', 'tag'],
  partitionColumns: [BUSINESS_DATE_PARTITION],
});

/** Segment sizes and averages by month, with month-over-month change. */
export const segmentMetricsMonthly = defineDataset({
  name: 'segment_metrics_monthly',
  description: 'Customers per segment, with averages and month-over-month change',
  owner: 'data-analytics',
  schemaVersion: 1,
  zones: ['mart'],
  columns: [
    { name: 'month', type: 'string', maxLength: 7, nullable: false, classification: 'public', description: 'YYYY-MM of the business date' },
    { name: 'segment', type: 'string', maxLength: 16, nullable: false, classification: 'public', description: 'value segment' },
    { name: 'customers', type: 'bigint', nullable: false, classification: 'public', description: 'customers in the segment' },
    { name: 'avg_aum', type: 'decimal(18,2)', nullable: true, classification: 'public', description: 'average AUM' },
    { name: 'avg_card_spend_1m', type: 'decimal(18,2)', nullable: true, classification: 'public', description: 'average card spend over the last month' },
    { name: 'avg_digital_events_30d', type: 'double', nullable: true, classification: 'public', description: 'average digital events over 30 days' },
    { name: 'customers_prev_month', type: 'bigint', nullable: true, classification: 'public', description: 'customers in the segment the month before' },
    { name: 'mom_change', type: 'double', nullable: true, classification: 'public', description: 'month-over-month change of customers, as a fraction' },
  ],
  primaryKey: ['month', 'segment'],
  partitionColumns: [BUSINESS_DATE_PARTITION],
});
