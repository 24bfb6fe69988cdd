/**
 * Writes the Glue jobs' plan templates into `libs/spark-runner/glue-plans/` (`nx run pipeline:glue-plans`): every
 * plan the Glue jobs run, rendered by libs/pipeline from the contracts, the masking policy and the tag definitions.
 * The folder is replaced whole; a libs/pipeline test fails while it differs from what this renders.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMaskingPolicy } from '@cur/policy';
import { gluePlanTemplateFiles, renderGluePlanTemplates } from '../src/plan/glue-plan-templates';
import { TAG_DEFINITIONS } from '../src/tags/tag-definitions';

const out = fileURLToPath(new URL('../../spark-runner/glue-plans/', import.meta.url));
rmSync(out, { recursive: true, force: true });
const files = gluePlanTemplateFiles(renderGluePlanTemplates({ policy: createMaskingPolicy(), tags: TAG_DEFINITIONS }));
for (const [path, text] of Object.entries(files)) {
  mkdirSync(dirname(join(out, path)), { recursive: true });
  writeFileSync(join(out, path), text);
}
console.log(`${Object.keys(files).length} files in ${out}`);
