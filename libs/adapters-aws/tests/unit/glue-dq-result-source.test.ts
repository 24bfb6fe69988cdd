import type { GetDataQualityResultCommand, GlueClient } from '@aws-sdk/client-glue';
import { describe, expect, it } from 'vitest';
import { GlueDqResultSource } from '../../src/index';

/** Glue has no local server here: a recording client stands in for GetDataQualityResult. */
describe('GlueDqResultSource', () => {
  it('maps a Glue result to the evaluation the notifier reads, without evaluation messages', async () => {
    const client = {
      send: async (command: GetDataQualityResultCommand) => {
        expect(command.input).toEqual({ ResultId: 'dqresult-9' });
        return {
          RulesetName: 'customer_profile.transformed',
          Score: 0.5,
          StartedOn: new Date('2026-11-25T22:00:00Z'),
          CompletedOn: new Date('2026-11-25T22:01:00Z'),
          DataSource: { GlueTable: { DatabaseName: 'cur_dev_transformed', TableName: 'customer_profile' } },
          RuleResults: [{ Name: 'IsComplete "email"', Result: 'FAIL', EvaluationMessage: 'quoted data', EvaluatedMetrics: { 'Column.email.Completeness': 0.5 }, Labels: { severity: 'warning' } }],
        };
      },
    } as unknown as GlueClient;
    const evaluation = await new GlueDqResultSource(client).get('dqresult-9');
    expect(evaluation).toMatchObject({ dataset: 'customer_profile', zone: 'transformed', businessDate: '2026-11-25', score: 0.5 });
    expect(evaluation.ruleResults[0]).toEqual({ Name: 'IsComplete "email"', Result: 'FAIL', EvaluatedMetrics: { 'Column.email.Completeness': 0.5 }, Labels: { severity: 'warning' } });
  });
});
