import { createHash } from 'node:crypto';
import { ZONES, type Zone } from '@cur/contracts';
import type { LineageDqEvaluation } from './types/lineage-run';
import type { JsonValue, MetadataChangeProposal } from './types/metadata-change-proposal';
import { datasetUrn, platformUrn, type LineageNames } from './urns';

type Json = { readonly [key: string]: JsonValue };

const RESULT_TYPES = { PASS: 'SUCCESS', FAIL: 'FAILURE', ERROR: 'ERROR' } as const;

/**
 * The DQ gates' results as DataHub assertions: one assertion per rule of a dataset's ruleset in a zone (a dataset
 * assertion with DataHub's `_NATIVE_` operator, the DQDL rule as its native type and parameters), and one run event
 * per evaluation with the outcome and the rule's metrics (counts and ratios). Rule messages are never read.
 *
 * @internal
 */
export function dqAssertionMcps(names: LineageNames, evaluations: readonly LineageDqEvaluation[]): MetadataChangeProposal[] {
  const mcps: MetadataChangeProposal[] = [];
  const emit = (entityUrn: string, aspectName: string, json: Json): void => {
    mcps.push({ entityType: 'assertion', entityUrn, changeType: 'UPSERT', aspectName, aspect: { json } });
  };
  const declared = new Set<string>();
  const ordered = [...evaluations].sort((a, b) => a.evaluatedAt.localeCompare(b.evaluatedAt) || a.resultId.localeCompare(b.resultId));
  for (const evaluation of ordered) {
    if (!(ZONES as readonly string[]).includes(evaluation.zone)) continue;
    const dataset = datasetUrn(names, evaluation.zone as Zone, evaluation.dataset);
    for (const rule of evaluation.ruleResults) {
      const text = rule.Description ?? rule.Name;
      const urn = assertionUrn(dataset, evaluation.rulesetName, text);
      const severity = rule.Labels['severity'] ?? 'blocking';
      if (!declared.has(urn)) {
        declared.add(urn);
        emit(urn, 'assertionInfo', {
          type: 'DATASET',
          datasetAssertion: { dataset, scope: 'DATASET_ROWS', operator: '_NATIVE_', nativeType: 'DQDL', nativeParameters: { rule: text, ruleset: evaluation.rulesetName, severity } },
          description: text,
          customProperties: { ruleset: evaluation.rulesetName, severity, zone: evaluation.zone },
        });
        emit(urn, 'dataPlatformInstance', { platform: platformUrn(names.platform) });
      }
      emit(urn, 'assertionRunEvent', {
        timestampMillis: Date.parse(evaluation.evaluatedAt),
        runId: evaluation.resultId,
        asserteeUrn: dataset,
        assertionUrn: urn,
        status: 'COMPLETE',
        result: { type: RESULT_TYPES[rule.Result], nativeResults: Object.fromEntries(Object.entries(rule.EvaluatedMetrics).map(([metric, value]) => [metric, String(value)])) },
        partitionSpec: { partition: `business_date=${evaluation.businessDate}`, type: 'PARTITION' },
      });
    }
  }
  return mcps;
}

function assertionUrn(dataset: string, ruleset: string, rule: string): string {
  return `urn:li:assertion:${createHash('md5').update(JSON.stringify({ dataset, rule, ruleset })).digest('hex')}`;
}
