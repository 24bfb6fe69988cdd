import { afterAll, describe, expect, it } from 'vitest';
import { loadStageConfig } from '../../src/config/stage-config';
import { MIN_NAG_REASON_LENGTH } from '../../src/core/nag-acknowledgement';
import { acknowledgementsUnder, runAwsSolutions } from '../helpers/nag';
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
    const run = runAwsSolutions(synth.stage.oracle);
    // CDK's own constructs acknowledge CloudFormation-Validate rules (the flow log's); only ours are judged here.
    const acknowledgements = acknowledgementsUnder(synth.stage.oracle).filter(({ id }) => id.startsWith('AwsSolutions-'));

    // Assess
    expect(run.findings).toEqual([]);
    for (const { path, id, reason } of acknowledgements) expect(reason.length, `${path} ${id}`).toBeGreaterThanOrEqual(MIN_NAG_REASON_LENGTH);
    expect(acknowledgements.map(({ path, id }) => `${path}|${id}`).filter((key) => !run.usedAcknowledgements.has(key))).toEqual([]);
    expect(acknowledgements.some(({ id }) => id === 'AwsSolutions-RDS3')).toBe(!config.oracle.multiAz);
  });
});
