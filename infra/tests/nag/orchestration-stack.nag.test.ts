import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_NAG_REASON_LENGTH } from '../../src/core/nag-acknowledgement';
import { acknowledgementsUnder, runAwsSolutions } from '../helpers/nag';
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
    const run = runAwsSolutions(synth.stage.orchestration);
    // CDK's own constructs acknowledge CloudFormation-Validate rules (the flow log's); only ours are judged here.
    const acknowledgements = acknowledgementsUnder(synth.stage.orchestration).filter(({ id }) => id.startsWith('AwsSolutions-'));

    expect(run.findings).toEqual([]);
    for (const { path, id, reason } of acknowledgements) expect(reason.length, `${path} ${id}`).toBeGreaterThanOrEqual(MIN_NAG_REASON_LENGTH);
    expect(acknowledgements.map(({ path, id }) => `${path}|${id}`).filter((key) => !run.usedAcknowledgements.has(key))).toEqual([]);
  });
});
