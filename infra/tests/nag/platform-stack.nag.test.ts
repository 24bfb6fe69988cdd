import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NagAudit } from '../helpers/nag';
import { auditAwsSolutions } from '../helpers/nag';
import type { SynthesizedStage } from '../helpers/synth-stage';
import { synthStage } from '../helpers/synth-stage';

describe('Stack: PlatformStack, AwsSolutions pack', () => {
  let synth: SynthesizedStage;
  let audit: NagAudit;
  beforeAll(() => {
    synth = synthStage();
    synth.template('platform');
    audit = auditAwsSolutions(synth.stage.platform);
  });
  afterAll(() => synth.dispose());

  it('has no unacknowledged finding, error or warning', () => {
    expect(audit.findings).toEqual([]);
  });

  it('gives every acknowledgement a specific reason', () => {
    expect(audit.acknowledgements.length).toBeGreaterThan(0);
    expect(audit.vagueReasons).toEqual([]);
  });

  it('has no stale acknowledgement: each one suppresses a finding', () => {
    expect(audit.stale).toEqual([]);
  });
});
