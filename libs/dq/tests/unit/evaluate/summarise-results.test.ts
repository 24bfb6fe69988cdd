import { describe, expect, it } from 'vitest';
import { severityOf, summariseResults, type DqRuleResult } from '../../../src/index';

function result(name: string, outcome: DqRuleResult['Result'], labels: Record<string, string> = {}): DqRuleResult {
  return { Name: name, Description: `IsComplete "${name}"`, EvaluatedRule: `IsComplete "${name}"`, Result: outcome, EvaluatedMetrics: {}, Labels: labels };
}

describe('Function: severityOf', () => {
  it('reads the severity label', () => {
    expect(severityOf(result('a', 'FAIL', { severity: 'warning' }))).toBe('warning');
    expect(severityOf(result('a', 'FAIL', { severity: 'blocking' }))).toBe('blocking');
  });

  it('treats a rule without a known severity as blocking', () => {
    expect(severityOf(result('a', 'FAIL'))).toBe('blocking');
    expect(severityOf(result('a', 'FAIL', { severity: 'minor' }))).toBe('blocking');
  });
});

describe('Function: summariseResults', () => {
  it('counts outcomes and scores the share of rules that passed', () => {
    const summary = summariseResults([result('a', 'PASS'), result('b', 'PASS'), result('c', 'FAIL', { severity: 'warning' }), result('d', 'ERROR', { severity: 'warning' })]);

    expect(summary).toMatchObject({ score: 0.5, numRulesSucceeded: 2, numRulesFailed: 2, numRulesErrored: 1, numRulesSkipped: 0, blocked: false });
    expect(summary.warningFailures.map((failure) => failure.Name)).toEqual(['c', 'd']);
  });

  it('blocks when a blocking rule fails or cannot be evaluated', () => {
    expect(summariseResults([result('a', 'FAIL', { severity: 'blocking' })]).blocked).toBe(true);
    const errored = summariseResults([result('a', 'PASS'), result('b', 'ERROR')]);
    expect(errored.blocked).toBe(true);
    expect(errored.blockingFailures.map((failure) => failure.Name)).toEqual(['b']);
  });

  it('scores an empty evaluation as 1 and blocks nothing', () => {
    expect(summariseResults([])).toMatchObject({ score: 1, blocked: false, numRulesFailed: 0 });
  });
});
