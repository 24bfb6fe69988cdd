import { describe, expect, it } from 'vitest';
import { parseTrainingParams, trainingJobName } from '../../src/model-training-params';

describe('Function: parseTrainingParams', () => {
  it('gives the job its hyperparameters from the named flags, then each --params pair', () => {
    expect(parseTrainingParams({ target: 'high_value', model: 'logistic', seed: '7', params: ['c=0.5', 'exclude_features=aum_deposit,aum_investment'] })).toEqual({
      target_tag: 'high_value',
      model: 'logistic',
      seed: '7',
      c: '0.5',
      exclude_features: 'aum_deposit,aum_investment',
    });
    expect(parseTrainingParams({})).toEqual({});
  });

  it.each([
    [{ params: ['max depth'] }, '--params takes name=value pairs with a lower-case name'],
    [{ params: ['sagemaker_program=evil.py'] }, "--params sagemaker_program: sagemaker_* hyperparameters are SageMaker's own"],
    [{ seed: '7', params: ['seed=8'] }, '--params seed is given twice'],
    [{ seed: '-1' }, '--seed is a whole number from 0 to 999999999'],
    [{ model: 'svm' }, '--model'],
    [{ params: [`x=${'9'.repeat(2501)}`] }, 'a value is at most 2500 characters'],
  ])('refuses %j with a usage error naming the flag', (flags, message) => {
    expect(() => parseTrainingParams(flags)).toThrow(expect.objectContaining({ code: 'USAGE_INVALID', message: expect.stringContaining(message) }));
  });
});

describe('Function: trainingJobName', () => {
  const at = new Date('2026-12-07T05:00:00Z');

  it("names the job with the stage's platform prefix, the target, the time and a suffix", () => {
    expect(trainingJobName('dev', 'digital_native', at, 'a1b2')).toBe('cur-dev-train-digital-native-20261207-050000-a1b2');
  });

  it("shortens the target so the longest stage and tag stay within SageMaker's 63 characters", () => {
    const name = trainingJobName('abcdefghijklmnop', 'frequent_card_user', at, 'a1b2');
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^cur-abcdefghijklmnop-train-frequent-card-\w*-20261207-050000-a1b2$/);
    expect(name).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/);
  });
});
