import { afterAll, describe, expect, it } from 'vitest';
import { loadStageConfig } from '../../src/config/stage-config';
import { auditAwsSolutions } from '../helpers/nag';
import type { SynthesizedStage } from '../helpers/synth-stage';
import { synthStage } from '../helpers/synth-stage';

const dev = loadStageConfig('dev');

describe('Stack: OracleReplicaStack, AwsSolutions pack', () => {
  const synths: SynthesizedStage[] = [];
  afterAll(() => {
    for (const synth of synths) synth.dispose();
  });

  // dev runs single-AZ (an acknowledged RDS3); a Multi-AZ stage needs no such acknowledgement.
  it.each([
    ['dev (single-AZ)', dev],
    ['a Multi-AZ stage', { ...dev, oracle: { ...dev.oracle, multiAz: true } }],
  ] as const)('%s: no unacknowledged finding, every acknowledgement specific and needed', (_name, config) => {
    // Prepare
    const synth = synthStage({ config });
    synths.push(synth);
    synth.template('oracle');

    // Act
    const audit = auditAwsSolutions(synth.stage.oracle, { awsSolutionsOnly: true });

    // Assess
    expect([audit.findings, audit.vagueReasons, audit.stale]).toEqual([[], [], []]);
    expect(audit.acknowledgements.some(({ id }) => id === 'AwsSolutions-RDS3')).toBe(!config.oracle.multiAz);
  });
});
