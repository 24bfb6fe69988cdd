import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getDataset } from '@cur/contracts';
import { schemaSha256 } from '../../../src/lake/lake-writer';
import { scoringManifestFile, scoringManifestTemplate } from '../../../src/steps/scoring-step';

const COMMITTED = fileURLToPath(new URL('../../../../model-training/src/cur_model/score_manifest.json', import.meta.url));

describe('Function: scoringManifestTemplate', () => {
  it('names model_tags in consumption, the score step, the contract’s schema hash and customer_features as input', () => {
    expect(scoringManifestTemplate()).toEqual({
      dataset: 'model_tags',
      zone: 'consumption',
      step: 'score',
      schemaSha256: schemaSha256(getDataset('model_tags').columns),
      input: { zone: 'consumption', dataset: 'customer_features' },
    });
  });

  it('is what cur_model/score_manifest.json holds (else: tsx libs/pipeline/scripts/write-score-manifest.ts)', () => {
    expect(readFileSync(COMMITTED, 'utf8')).toBe(scoringManifestFile());
  });
});
