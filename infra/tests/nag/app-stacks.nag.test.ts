import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_NAMES } from '../../src/config/apps';
import { MIN_NAG_REASON_LENGTH } from '../../src/core/nag-acknowledgement';
import { acknowledgementsUnder, runAwsSolutions } from '../helpers/nag';
import type { SynthesizedStage } from '../helpers/synth-stage';
import { synthStage } from '../helpers/synth-stage';

describe('Stack: AppStack, AwsSolutions pack', () => {
  let synth: SynthesizedStage;
  beforeAll(() => {
    synth = synthStage();
  });
  afterAll(() => synth.dispose());

  describe.each(APP_NAMES)('%s', (app) => {
    it('has no unacknowledged finding, and every acknowledgement is specific and needed', () => {
      // Prepare
      const stack = synth.stage.apps[app];
      synth.template(app);

      // Act
      const run = runAwsSolutions(stack);
      const acknowledgements = acknowledgementsUnder(stack);

      // Assess
      expect(run.findings).toEqual([]);
      for (const { path, id, reason } of acknowledgements) expect(reason.length, `${path} ${id}`).toBeGreaterThanOrEqual(MIN_NAG_REASON_LENGTH);
      expect(acknowledgements.map(({ path, id }) => `${path}|${id}`).filter((key) => !run.usedAcknowledgements.has(key))).toEqual([]);
    });
  });
});

describe('App: the whole stage with the AwsSolutions pack registered, as main.ts and `cdk synth` run it', () => {
  // The whole stage stages every asset (six bundles, the DAG bucket's deployments and their handler): slow on a busy machine.
  it('synthesizes without a validation failure', { timeout: 180_000 }, () => {
    const synth = synthStage({ withNag: true });
    try {
      expect(() => synth.app.synth()).not.toThrow();
    } finally {
      synth.dispose();
    }
  });
});
