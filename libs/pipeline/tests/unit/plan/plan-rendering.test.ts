import { describe, expect, it } from 'vitest';
import { getDataset } from '@cur/contracts';
import { DUCKDB_DIALECT, SPARK_DIALECT, StepPlanSchema, renderCustomerFeaturesPlan, renderMartPlan } from '../../../src/index';
import { datasetSource } from '../../../src/plan/dataset-input';

describe('datasetSource', () => {
  it('is a Parquet input over the published files when there are any', () => {
    expect(datasetSource('t_customer_profile', ['/lake/a.parquet'], getDataset('customer_profile'), SPARK_DIALECT)).toEqual({
      inputs: [{ format: 'parquet', name: 't_customer_profile', paths: ['/lake/a.parquet'], columns: null }],
      statements: [],
    });
  });

  it('is an empty view with each column typed in the engine’s spelling, masked columns as text', () => {
    // Prepare
    const dataset = getDataset('account_balance');

    // Act
    const [spark] = datasetSource('t_account_balance', [], dataset, SPARK_DIALECT, new Set(['cust_id'])).statements;
    const [duckdb] = datasetSource('t_account_balance', [], dataset, DUCKDB_DIALECT, new Set(['cust_id'])).statements;

    // Assess
    expect(spark?.sql).toContain('CAST(NULL AS STRING) AS cust_id');
    expect(spark?.sql).toContain('CAST(NULL AS DECIMAL(18,2)) AS balance');
    expect(spark?.sql).toContain('CAST(NULL AS DATE) AS business_date');
    expect(spark?.sql).toMatch(/ WHERE 1 = 0$/);
    expect(duckdb?.sql).toContain('CAST(NULL AS VARCHAR) AS cust_id');
    expect(spark?.sql).not.toContain('VARCHAR');
  });
});

describe('SqlDialect.typeName', () => {
  it('types a contract timestamp as a local date-time on both engines: Spark’s TIMESTAMP is an instant', () => {
    expect([DUCKDB_DIALECT.typeName('timestamp'), SPARK_DIALECT.typeName('timestamp')]).toEqual(['TIMESTAMP', 'TIMESTAMP_NTZ']);
    expect([DUCKDB_DIALECT.typeName('int'), SPARK_DIALECT.typeName('decimal(14,2)')]).toEqual(['INTEGER', 'DECIMAL(14,2)']);
  });
});

describe('the step plans', () => {
  it('are valid plans, one output each, named after the dataset they write', () => {
    const features = renderCustomerFeaturesPlan({
      businessDate: '2026-11-25',
      sources: { customer_profile: ['/lake/p.parquet'], account_balance: [], card_transaction: ['/lake/c1.parquet', '/lake/c2.parquet'], digital_activity: [] },
      storedAsText: { customer_profile: new Set(), account_balance: new Set(), card_transaction: new Set(), digital_activity: new Set() },
      outputPath: '/scratch/features',
      dialect: SPARK_DIALECT,
    });
    const segments = renderMartPlan({ dataset: 'segment_metrics_monthly', businessDate: '2026-11-25', features: ['/lake/f.parquet'], tags: ['/lake/t.parquet'], previous: [], outputPath: '/scratch/segments', dialect: SPARK_DIALECT });

    const parsed = [StepPlanSchema.parse(features), StepPlanSchema.parse(segments)];

    expect(parsed.map((plan) => [plan.step, plan.dataset, plan.outputs.map((o) => o.name)])).toEqual([
      ['consumption', 'customer_features', ['customer_features']],
      ['mart', 'segment_metrics_monthly', ['segment_metrics_monthly']],
    ]);
    // Sources without a partition are empty views; segment metrics do not read the tags.
    expect(parsed[0]?.inputs.map((i) => i.name)).toEqual(['t_customer_profile', 't_card_transaction']);
    // Then the per-customer tables customer_features joins, each materialised before the next.
    expect(parsed[0]?.statements.map((s) => `${s.kind} ${s.name}`)).toEqual([
      'view t_account_balance',
      'view t_digital_activity',
      'view fx_rates',
      'view card_spend',
      'table customer_balances',
      'table customer_card_spend',
      'table customer_mcc_spend',
      'table customer_top_mcc',
      'table customer_digital',
    ]);
    expect(parsed[1]?.inputs.map((i) => i.name)).toEqual(['f_customer_features']);
    expect(parsed[1]?.statements.map((s) => s.name)).toEqual(['m_segment_previous']);
  });
});
