import { describe, expect, it } from 'vitest';
import { isPlatformTrainingJob, modelTrainingParameterName, modelTrainingStateMachineName, trainingJobNamePrefix } from '../../src/index';

describe('Function: trainingJobNamePrefix', () => {
  it("names the stage's own training jobs cur-<stage>-train-, and nothing else is the platform's", () => {
    expect(trainingJobNamePrefix('dev')).toBe('cur-dev-train-');
    expect(isPlatformTrainingJob('cur-dev-train-digital-native-20261207-050000-a1b2', 'dev')).toBe(true);
    // Another stage's job, the old local names, a data scientist's own job.
    for (const name of ['cur-prod-train-digital-native-20261207-050000-a1b2', 'cur-digital-native-20261207-050000-a1b2', 'my-kmeans-1', 'cur-dev-training-x']) {
      expect(isPlatformTrainingJob(name, 'dev'), name).toBe(false);
    }
  });

  it("finds the training workflow by the stack's SSM parameter and the state machine's name", () => {
    expect(modelTrainingParameterName('dev', 'state-machine-arn')).toBe('/cur-dev/model-training/state-machine-arn');
    expect(modelTrainingStateMachineName('dev')).toBe('cur-dev-model-training');
  });
});
