import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_NAMES } from '../../src/config/apps';
import { auditAwsSolutions } from '../helpers/nag';
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
      const audit = auditAwsSolutions(stack);

      // Assess
      expect([audit.findings, audit.vagueReasons, audit.stale]).toEqual([[], [], []]);
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
