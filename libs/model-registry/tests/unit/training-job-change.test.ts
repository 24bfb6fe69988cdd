import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SageMakerTrainingJobStateChangeSchema } from '@cur/contracts';
import { readTrainingJobChange, trainingJobStateChangeEvent } from '../../src/index';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../events/${name}`, import.meta.url), 'utf8'));
const appFixture = (): unknown => JSON.parse(readFileSync(new URL('../../../../apps/model-history/tests/events/sagemaker-training-job-state-change.json', import.meta.url), 'utf8'));

describe('Function: readTrainingJobChange', () => {
  it('reads the real completed event: version, times from epoch milliseconds, metrics, lineage and launcher from the tags', () => {
    const change = readTrainingJobChange(SageMakerTrainingJobStateChangeSchema.parse(fixture('sagemaker-training-job-completed.json')));

    expect(change).toMatchObject({
      versionId: 'cur-dev-train-digital-native-20261125-231000',
      status: 'Completed',
      at: '2026-11-25T23:16:40.000Z',
      createdAt: '2026-11-25T23:10:00.000Z',
      metrics: { 'validation:auc': 0.9132, 'validation:log_loss': 0.3311 },
      startedBy: 'arn:aws:sts::123456789012:assumed-role/cur-dev-ds/alice',
      role: 'DS',
      codeVersion: 'a2e22ad',
      targetTag: 'frequent_card_user',
      modelArtifact: expect.stringMatching(/model\.tar\.gz$/),
    });
    expect(change.data.map((d) => `${d.zone}.${d.dataset}@${d.businessDate}`)).toEqual(['consumption.customer_features@2026-11-25', 'consumption.customer_tags@2026-11-25']);
    expect(change.transitions.map((t) => t.status)).toEqual(['Starting', 'Downloading', 'Training', 'Uploading', 'Completed']);
    expect(change.hyperparameters['seed']).toBe('42');
  });

  it('reads the trimmed event the app kept (no tags, no times but the event time)', () => {
    const change = readTrainingJobChange(SageMakerTrainingJobStateChangeSchema.parse(appFixture()));
    expect(change).toMatchObject({ versionId: 'cur-segments-2026-11-25', status: 'Completed', at: '2026-11-25T23:10:00.000Z', data: [], metrics: { 'test:msd': 1.73 } });
  });

  it('refuses a data tag that is not zone/dataset/date/sha256, naming the tag', () => {
    const event = fixture('sagemaker-training-job-completed.json') as { detail: { Tags: Record<string, string> } };
    event.detail.Tags['cur:data:3'] = 'consumption/customer_features/latest';
    expect(() => readTrainingJobChange(SageMakerTrainingJobStateChangeSchema.parse(event))).toThrow(/training job tag cur:data:3 must be/);
  });

  it('keeps only the code of a failure reason', () => {
    const event = trainingJobStateChangeEvent({
      jobName: 'cur-propensity-1',
      status: 'Failed',
      secondaryStatus: 'Failed',
      createdAt: new Date('2026-11-25T00:00:00Z'),
      at: new Date('2026-11-25T00:01:00Z'),
      hyperparameters: {},
      tags: {},
      trainingImage: 'local',
      failureReason: 'AlgorithmError: target_tag nobody: 0 customers carry it [INVALID_TRAINING_DATA]',
    });
    expect(readTrainingJobChange(SageMakerTrainingJobStateChangeSchema.parse(event)).failureCode).toBe('INVALID_TRAINING_DATA');
  });

  it('builds events the contract accepts, with SageMaker times in epoch milliseconds', () => {
    const event = trainingJobStateChangeEvent({
      jobName: 'cur-propensity-2',
      status: 'Completed',
      secondaryStatus: 'Completed',
      createdAt: new Date('2026-11-25T00:00:00Z'),
      at: new Date('2026-11-25T00:01:00Z'),
      hyperparameters: { seed: '1' },
      tags: { 'cur:data:1': `consumption/customer_features/2026-11-25/${'a'.repeat(64)}` },
      metrics: { 'validation:auc': 0.8 },
      trainingImage: 'local',
    });
    const parsed = SageMakerTrainingJobStateChangeSchema.parse(event);
    expect(parsed.detail.LastModifiedTime).toBe(Date.parse('2026-11-25T00:01:00Z'));
    expect(readTrainingJobChange(parsed).data).toHaveLength(1);
  });
});
