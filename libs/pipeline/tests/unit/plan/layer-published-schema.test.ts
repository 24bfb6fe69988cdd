import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LayerPublishedSchema, PLATFORM_EVENT_SOURCE, PLATFORM_EVENTS } from '@cur/contracts';
import { comparableJsonSchemas } from '../../helpers/json-schema';

describe('LayerPublishedSchema', () => {
  it('says exactly what the Spark runner’s layer-published.schema.json says, so a Glue job’s event is one the oracle-replicator takes', async () => {
    // Prepare
    const { ours, committed } = await comparableJsonSchemas(LayerPublishedSchema, 'layer-published.schema.json');

    // Assess
    expect(ours).toEqual(committed);
  });

  it('is put on the bus with the source and detail-type the platform’s rules match (the runner’s platform_event.json)', async () => {
    // Prepare
    const path = fileURLToPath(new URL('../../../../spark-runner/src/cur_spark/platform_event.json', import.meta.url));

    // Act
    const event = JSON.parse(await readFile(path, 'utf8')) as { source: string; detailType: string };

    // Assess
    expect(event).toEqual({ source: PLATFORM_EVENT_SOURCE, detailType: 'Layer Published' });
    expect(PLATFORM_EVENTS[event.detailType as keyof typeof PLATFORM_EVENTS]).toBe(LayerPublishedSchema);
  });
});
