import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManifestSchema } from '@cur/lake';
import { normaliseJsonSchema, type Json } from '../../helpers/json-schema';

const MANIFEST_SCHEMA = fileURLToPath(new URL('../../../../spark-runner/manifest.schema.json', import.meta.url));

describe('ManifestSchema', () => {
  it('says exactly what the Spark runner’s manifest.schema.json says, so a Glue job’s manifest is one the lake reads', async () => {
    // Prepare
    const committed = JSON.parse(await readFile(MANIFEST_SCHEMA, 'utf8')) as { $defs?: Record<string, Json> } & Record<string, Json>;
    const ours = z.toJSONSchema(ManifestSchema, { io: 'input' }) as Json;

    // Assess
    expect(normaliseJsonSchema(ours, {})).toEqual(normaliseJsonSchema(committed, committed.$defs ?? {}));
  });
});
