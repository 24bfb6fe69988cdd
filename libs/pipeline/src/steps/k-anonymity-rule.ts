import { quoteDqdl, type DqRuleResult, type Severity } from '@cur/dq';
import { PRIVACY_ERROR_CODES, type KAnonymityResult } from '@cur/privacy';

/**
 * How a consumption output below the k-anonymity threshold gates by default: `warning`, because the demo's 10,000
 * customers over ~120 branches cannot reach k = 5 with branch-level features (see docs/ARCHITECTURE.md, "Re-identification
 * risk"); a deployment that can should set `blocking`.
 */
export const DEFAULT_K_ANONYMITY_SEVERITY: Severity = 'warning';

/** The label that marks a rule result as the k-anonymity check. */
export const K_ANONYMITY_CHECK = 'k_anonymity';

/**
 * Turns k-anonymity results into rule results in Glue's shape, so the gate stores, summarises and notifies them like
 * any DQDL rule: `KAnonymity "col" ... >= k` as the rule text, k and counts as metrics, the failure code as a label.
 * Column names, counts and k only: never a value.
 *
 * @param firstRuleNumber - the number of the first result's `Rule_<n>`, after the ruleset's own rules
 */
export function kAnonymityRuleResults(results: readonly KAnonymityResult[], options: { readonly severity: Severity; readonly firstRuleNumber: number }): DqRuleResult[] {
  return results.map((result, index) => {
    const rule = `KAnonymity ${[...result.quasiIdentifiers.map(quoteDqdl), `>= ${result.threshold}`].join(' ')}`;
    const code = PRIVACY_ERROR_CODES.K_ANONYMITY_BELOW_THRESHOLD;
    return {
      Name: `Rule_${options.firstRuleNumber + index}`,
      Description: rule,
      EvaluatedRule: rule,
      Result: result.passed ? 'PASS' : 'FAIL',
      ...(result.passed
        ? {}
        : {
            EvaluationMessage: `${code}: k = ${result.k ?? 0} is below ${result.threshold} as ${result.roles.join(', ')} see ${result.dataset}: ${result.recordsBelowThreshold} of ${result.records} customers are in ${result.classesBelowThreshold} classes smaller than ${result.threshold}`,
          }),
      EvaluatedMetrics: {
        ...(result.k === null ? {} : { 'Dataset.*.KAnonymity': result.k }),
        'Dataset.*.KAnonymity.Classes': result.classes,
        'Dataset.*.KAnonymity.Records': result.records,
        'Dataset.*.KAnonymity.RecordsBelowThreshold': result.recordsBelowThreshold,
      },
      Labels: {
        dataset: result.dataset,
        zone: result.zone,
        severity: options.severity,
        check: K_ANONYMITY_CHECK,
        roles: result.roles.join(','),
        ...(result.passed ? {} : { code }),
      },
    };
  });
}
