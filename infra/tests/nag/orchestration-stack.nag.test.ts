import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditAwsSolutions } from '../helpers/nag';
import type { SynthesizedStage } from '../helpers/synth-stage';
import { synthStage } from '../helpers/synth-stage';

describe('Stack: OrchestrationStack, AwsSolutions pack', () => {
  let synth: SynthesizedStage;
  beforeAll(() => {
    synth = synthStage();
    synth.template('orchestration');
  });
  afterAll(() => synth.dispose());

  it('has no unacknowledged finding, and every acknowledgement is specific and needed', () => {
    const audit = auditAwsSolutions(synth.stage.orchestration, { awsSolutionsOnly: true });

    expect([audit.findings, audit.vagueReasons, audit.stale]).toEqual([[], [], []]);
  });
});
