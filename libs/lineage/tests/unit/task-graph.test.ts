import { describe, expect, it } from 'vitest';
import { pipelineTasks, type LineageStep } from '../../src';
import { STEPS } from '../helpers/fixtures';

describe('Function: pipelineTasks', () => {
  it('runs mask and transform once per source dataset and the other steps once, in definition order', () => {
    // Act
    const tasks = pipelineTasks(STEPS);

    // Assess
    expect(tasks.map((task) => task.id)).toEqual([
      'mask_customer_profile', 'mask_account_balance', 'mask_card_transaction', 'mask_digital_activity',
      'transform_customer_profile', 'transform_account_balance', 'transform_card_transaction', 'transform_digital_activity',
      'consumption', 'mart', 'serving',
    ]);
  });

  it('wires each task to the tasks that write what it reads, in the zone they write it', () => {
    // Act
    const byId = new Map(pipelineTasks(STEPS).map((task) => [task.id, task]));

    // Assess
    expect(byId.get('mask_card_transaction')).toMatchObject({ inputs: [{ zone: 'landing', dataset: 'card_transaction' }], outputs: [{ zone: 'raw', dataset: 'card_transaction' }], upstreamTaskIds: [] });
    expect(byId.get('transform_card_transaction')).toMatchObject({
      inputs: [{ zone: 'raw', dataset: 'card_transaction' }],
      outputs: [{ zone: 'transformed', dataset: 'card_transaction' }, { zone: 'transformed', dataset: 'transform_rejects' }],
      upstreamTaskIds: ['mask_card_transaction'],
    });
    expect(byId.get('consumption')?.upstreamTaskIds).toEqual(['transform_customer_profile', 'transform_account_balance', 'transform_card_transaction', 'transform_digital_activity']);
    expect(byId.get('mart')?.upstreamTaskIds).toEqual(['consumption']);
    // segment_metrics_monthly is read from the mart, where the mart step wrote it, although serving's `from` is consumption.
    expect(byId.get('serving')).toMatchObject({
      inputs: [{ zone: 'consumption', dataset: 'customer_features' }, { zone: 'consumption', dataset: 'customer_tags' }, { zone: 'mart', dataset: 'segment_metrics_monthly' }],
      outputs: [{ zone: 'serving-store', dataset: 'serving' }],
      upstreamTaskIds: ['consumption', 'mart'],
    });
  });

  it('follows a change to the definition: a new step becomes a task with its dependencies', () => {
    // Prepare
    const steps: LineageStep[] = [...STEPS, { name: 'export', description: 'export', from: 'mart', to: 'mart', inputs: ['tag_metrics_monthly'], outputs: ['tag_export'], runsAs: 'PIPELINE' }];

    // Act
    const last = pipelineTasks(steps).at(-1);

    // Assess
    expect(last).toMatchObject({ id: 'export', upstreamTaskIds: ['mart'], outputs: [{ zone: 'mart', dataset: 'tag_export' }] });
  });

  it('refuses two steps that would make the same task', () => {
    // Prepare
    const steps = [...STEPS, STEPS[2] as LineageStep];

    // Act & Assess
    expect(() => pipelineTasks(steps)).toThrow("pipeline task 'consumption' is declared twice");
  });
});
