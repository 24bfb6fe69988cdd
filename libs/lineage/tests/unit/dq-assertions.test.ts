import { describe, expect, it } from 'vitest';
import { buildLineage, datasetUrn, type LineageDqEvaluation } from '../../src';
import { lineageNames } from '../../src/build-lineage';
import { sources } from '../helpers/fixtures';

const evaluation = (evaluatedAt: string, result: 'PASS' | 'FAIL', resultId: string) => ({
  resultId,
  rulesetName: 'customer_profile_raw',
  dataset: 'customer_profile',
  zone: 'raw',
  businessDate: '2026-11-25',
  evaluatedAt,
  ruleResults: [
    // Glue's rule message can quote a row's value: it must never be read.
    { Name: 'Rule_1', Description: 'IsComplete "cust_id"', Result: result, EvaluatedMetrics: { 'Column.cust_id.Completeness': result === 'PASS' ? 1 : 0.98 }, Labels: { severity: 'blocking' }, EvaluationMessage: 'value A123456789 is null-like' },
  ],
});

describe('Function: buildLineage, DQ results', () => {
  it('declares each rule once as an assertion on its dataset, with one run event per evaluation and its outcome', () => {
    // Prepare
    const dqResults: LineageDqEvaluation[] = [evaluation('2026-11-26T01:00:00.000Z', 'FAIL', 'r2'), evaluation('2026-11-25T01:00:00.000Z', 'PASS', 'r1')];

    // Act
    const mcps = buildLineage(sources({ dqResults }), { stage: 'dev' });

    // Assess
    const dataset = datasetUrn(lineageNames({ stage: 'dev' }), 'raw', 'customer_profile');
    const infos = mcps.filter((mcp) => mcp.aspectName === 'assertionInfo');
    expect(infos).toHaveLength(1);
    expect(infos[0]?.aspect.json).toMatchObject({ type: 'DATASET', datasetAssertion: { dataset, operator: '_NATIVE_', nativeType: 'DQDL' }, description: 'IsComplete "cust_id"' });
    const events = mcps.filter((mcp) => mcp.aspectName === 'assertionRunEvent').map((mcp) => mcp.aspect.json);
    expect(events.map((event) => [event['runId'], (event['result'] as { type: string }).type])).toEqual([['r1', 'SUCCESS'], ['r2', 'FAILURE']]);
    expect(events[1]).toMatchObject({ asserteeUrn: dataset, assertionUrn: infos[0]?.entityUrn, status: 'COMPLETE', result: { nativeResults: { 'Column.cust_id.Completeness': '0.98' } } });
    expect(JSON.stringify(mcps)).not.toContain('A123456789');
  });
});
