import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_NAG_REASON_LENGTH } from '../../src/core/nag-acknowledgement';
import type { Acknowledgement, NagRun } from '../helpers/nag';
import { acknowledgementsUnder, runAwsSolutions } from '../helpers/nag';
import type { SynthesizedStage } from '../helpers/synth-stage';
import { synthStage } from '../helpers/synth-stage';

describe('Stack: PipelineStack, AwsSolutions pack', () => {
  let synth: SynthesizedStage;
  let run: NagRun;
  let acknowledgements: Acknowledgement[];
  beforeAll(() => {
    synth = synthStage();
    synth.app.synth();
    run = runAwsSolutions(synth.stage.pipeline);
    acknowledgements = acknowledgementsUnder(synth.stage.pipeline);
  });
  afterAll(() => synth.dispose());

  it('has no unacknowledged finding, error or warning', () => {
    expect(run.findings).toEqual([]);
  });

  it('gives every acknowledgement a specific reason', () => {
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const { path, id, reason } of acknowledgements) expect(reason.length, `${path} ${id}`).toBeGreaterThanOrEqual(MIN_NAG_REASON_LENGTH);
  });

  it('has no stale acknowledgement: each one suppresses a finding', () => {
    const stale = acknowledgements.map(({ path, id }) => `${path}|${id}`).filter((key) => !run.usedAcknowledgements.has(key));

    expect(stale).toEqual([]);
  });
});
