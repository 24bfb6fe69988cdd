import { describe, expect, it } from 'vitest';
import { summariseResults } from '@cur/dq';
import type { KAnonymityResult } from '@cur/privacy';
import { kAnonymityRuleResults } from '../../src/index';

const result = (overrides: Partial<KAnonymityResult> = {}): KAnonymityResult => ({
  dataset: 'customer_features',
  zone: 'consumption',
  businessDate: '2026-11-25',
  roles: ['DE', 'DA'],
  quasiIdentifiers: ['age_band', 'gender'],
  threshold: 5,
  records: 100,
  classes: 12,
  k: 6,
  recordsBelowThreshold: 0,
  classesBelowThreshold: 0,
  passed: true,
  ...overrides,
});

describe('kAnonymityRuleResults', () => {
  it('writes a passing view as a passing rule numbered after the ruleset\'s own', () => {
    const [rule] = kAnonymityRuleResults([result()], { severity: 'blocking', firstRuleNumber: 14 });
    expect(rule).toEqual({
      Name: 'Rule_14',
      Description: 'KAnonymity "age_band" "gender" >= 5',
      EvaluatedRule: 'KAnonymity "age_band" "gender" >= 5',
      Result: 'PASS',
      EvaluatedMetrics: { 'Dataset.*.KAnonymity': 6, 'Dataset.*.KAnonymity.Classes': 12, 'Dataset.*.KAnonymity.Records': 100, 'Dataset.*.KAnonymity.RecordsBelowThreshold': 0 },
      Labels: { dataset: 'customer_features', zone: 'consumption', severity: 'blocking', check: 'k_anonymity', roles: 'DE,DA' },
    });
  });

  it('writes a view below the threshold as a failing rule with the code, which blocks only when blocking', () => {
    const below = result({ k: 1, recordsBelowThreshold: 7, classesBelowThreshold: 3, passed: false });
    const blocking = kAnonymityRuleResults([below], { severity: 'blocking', firstRuleNumber: 1 });
    const warning = kAnonymityRuleResults([below], { severity: 'warning', firstRuleNumber: 1 });
    expect(blocking[0]).toMatchObject({ Result: 'FAIL', Labels: { code: 'K_ANONYMITY_BELOW_THRESHOLD' }, EvaluationMessage: 'K_ANONYMITY_BELOW_THRESHOLD: k = 1 is below 5 as DE, DA see customer_features: 7 of 100 customers are in 3 classes smaller than 5' });
    expect(summariseResults(blocking).blocked).toBe(true);
    expect(summariseResults(warning).blocked).toBe(false);
  });

  it('leaves k out of the metrics of an empty partition, which passes', () => {
    const [rule] = kAnonymityRuleResults([result({ k: null, records: 0, classes: 0 })], { severity: 'blocking', firstRuleNumber: 1 });
    expect(rule?.Result).toBe('PASS');
    expect(rule?.EvaluatedMetrics).not.toHaveProperty(['Dataset.*.KAnonymity']);
  });
});
