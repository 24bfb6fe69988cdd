import { describe, expect, it } from 'vitest';
import { ManifestSchema } from '@cur/lake';
import { comparableJsonSchemas } from '../../helpers/json-schema';

describe('ManifestSchema', () => {
  it('says exactly what the Spark runner’s manifest.schema.json says, so a Glue job’s manifest is one the lake reads', async () => {
    // Prepare
    const { ours, committed } = await comparableJsonSchemas(ManifestSchema, 'manifest.schema.json');

    // Assess
    expect(ours).toEqual(committed);
  });
});
