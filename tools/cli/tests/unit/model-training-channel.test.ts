import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMaskingPolicy } from '@cur/policy';
import { TRAINING_CHANNEL_TEMPLATE_FILE, awsTrainingChannelTemplate, trainingChannelTemplate } from '../../src/model-training-channel';

describe('trainingChannelTemplate', () => {
  it('describes exactly the DS view of the features and labels, no secret column, and which columns each tag rule reads', () => {
    const template = trainingChannelTemplate({ features: ['f/part-0.parquet'], labels: ['l/part-0.parquet'] });
    const policy = createMaskingPolicy();
    for (const table of [template.features, template.labels]) {
      expect(table.columns.map((c) => c.name)).toEqual(policy.viewOf('DS', table.dataset).map((v) => v.column.name));
      expect(table.columns.filter((c) => c.classification === 'secret')).toEqual([]);
    }
    expect(template.features.key).toEqual(['cust_id']);
    expect(template.tags.find((t) => t.name === 'digital_native')?.reads).toEqual(['digital_events_30d', 'app_share']);
  });

  it('is committed as the AWS launcher stages it (regenerate: npx tsx tools/cli/scripts/write-training-channel-template.ts)', () => {
    const committed: unknown = JSON.parse(readFileSync(TRAINING_CHANNEL_TEMPLATE_FILE, 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(awsTrainingChannelTemplate())));
    expect(awsTrainingChannelTemplate().features.files).toEqual(['features/']);
  });
});
