import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_NAMES } from '../../src/config/apps';
import type { SynthesizedStage } from '../helpers/synth-stage';
import { synthStage } from '../helpers/synth-stage';

/** Asset hashes change with every app build; a snapshot keeps everything else. */
function stable(template: unknown): string {
  return JSON.stringify(template, null, 2).replace(/[0-9a-f]{64}(\.zip)?/g, (_hash, zip: string | undefined) => `<asset-hash>${zip ?? ''}`);
}

/**
 * One synthesized template per stack, as a reviewable JSON file under `__snapshots__/`. A change to a stack shows up
 * as a diff of its file; accept it with `npx vitest --run -u` in infra/ after reading it.
 */
describe('Snapshots: synthesized templates', () => {
  let synth: SynthesizedStage;
  beforeAll(() => {
    synth = synthStage();
  });
  afterAll(() => synth.dispose());

  it.each(['platform', 'oracle', 'orchestration', ...APP_NAMES] as const)('%s', async (stackName) => {
    await expect(stable(synth.template(stackName).toJSON())).toMatchFileSnapshot(`__snapshots__/${stackName}.template.json`);
  });
});
