/**
 * Writes `libs/model-training/src/cur_model/score_manifest.json`: the fixed part of the scoring step's manifest
 * (`scoringManifestTemplate`), which the AWS scoring step's ending (`cur_model.publish`) publishes with. A
 * libs/pipeline test fails while the committed file differs from what this renders.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scoringManifestFile } from '../src/steps/scoring-step';

const out = fileURLToPath(new URL('../../model-training/src/cur_model/score_manifest.json', import.meta.url));
writeFileSync(out, scoringManifestFile());
console.log(`wrote ${out}`);
