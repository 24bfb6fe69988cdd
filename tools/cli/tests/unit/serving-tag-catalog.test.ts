import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TAG_DEFINITIONS } from '@cur/pipeline';

describe('the serving-load Lambda\'s tag catalog (apps/serving-load/src/tag-catalog.json)', () => {
  it("equals libs/pipeline's TAG_DEFINITIONS, names, descriptions and owners, so GET /v1/tags describes the same tags after an AWS load as after cur run", () => {
    const committed = JSON.parse(readFileSync(new URL('../../../../apps/serving-load/src/tag-catalog.json', import.meta.url), 'utf8')) as unknown;
    const expected = TAG_DEFINITIONS.map(({ name, description, owner }) => ({ name, description, owner }));

    expect(committed, `stale: write this into apps/serving-load/src/tag-catalog.json\n${JSON.stringify(expected, null, 2)}\n`).toEqual(expected);
  });
});
