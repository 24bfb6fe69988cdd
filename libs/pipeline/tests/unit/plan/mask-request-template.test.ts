import { describe, expect, it } from 'vitest';
import { DATASET_NAMES, getDataset } from '@cur/contracts';
import { createMaskingPolicy, parsePolicyOverrides } from '@cur/policy';
import { MaskRequestTemplateSchema, renderMaskRequestTemplate } from '../../../src/plan/mask-request-template';
import { renderMaskRequest } from '../../../src/steps/mask-step-on-spark';

const policy = createMaskingPolicy();

describe('renderMaskRequestTemplate', () => {
  it('asks on Glue what the local Spark mask step asks of a batch: the same columns, the same ones tokenised as themselves', () => {
    for (const name of DATASET_NAMES) {
      // Prepare
      const dataset = getDataset(name);
      const stem = `${name}_20261125`;
      const control = { dataset: name, businessDate: '2026-11-25', file: `${stem}.csv`, rowCount: 3, sha256: '0'.repeat(64), encoding: 'utf-8' as const, schemaVersion: dataset.schemaVersion };

      // Act
      const template = renderMaskRequestTemplate(dataset, policy);
      const local = renderMaskRequest(control, { policy, landingPath: `/landing/${stem}.csv`, outputPath: '/scratch/raw', keyService: { tokenizeUrl: 'http://127.0.0.1:4000/v1/tokenize' } });

      // Assess
      expect({ name, columns: template.columns, maskColumns: template.maskColumns }).toEqual({ name, columns: local.landing.columns, maskColumns: local.maskColumns });
      expect(template.maskColumns.length, name).toBeGreaterThan(0);
    }
  });

  it('follows the policy: a column an override masks is tokenised, and the template stays valid', () => {
    // Prepare
    const overridden = createMaskingPolicy(parsePolicyOverrides([{ dataset: 'account_balance', columns: { balance: { method: 'daead', params: {} } } }]));

    // Act
    const before = renderMaskRequestTemplate(getDataset('account_balance'), policy);
    const after = renderMaskRequestTemplate(getDataset('account_balance'), overridden);

    // Assess
    expect(before.maskColumns.map((m) => m.column)).not.toContain('balance');
    expect(after.maskColumns).toContainEqual({ column: 'balance', tokenize: { dataset: 'account_balance', column: 'balance' } });
    expect(MaskRequestTemplateSchema.parse(after)).toEqual(after);
  });
});
