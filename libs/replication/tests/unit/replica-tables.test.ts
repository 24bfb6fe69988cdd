import { describe, expect, it } from 'vitest';
import { defineDataset } from '@cur/contracts';
import { DMS_SELECTION_RULE_IDS, REPLICA_TABLES, REPLICATED_DATASET_NAMES, replicaTable, toReplicaTable } from '../../src/index';

describe('REPLICA_TABLES', () => {
  it('holds the consumption layer and the data mart, from the contracts', () => {
    expect(REPLICATED_DATASET_NAMES).toEqual(['customer_features', 'customer_tags', 'model_tags', 'tag_metrics_monthly', 'segment_metrics_monthly']);
    expect(REPLICA_TABLES.map((table) => `${table.zone}:${table.name}`)).toEqual(['consumption:CUSTOMER_FEATURES', 'consumption:CUSTOMER_TAGS', 'consumption:MODEL_TAGS', 'mart:TAG_METRICS_MONTHLY', 'mart:SEGMENT_METRICS_MONTHLY']);
  });

  it('keys each table by the contract key, upper-cased, and partitions it by business date', () => {
    expect(replicaTable('customer_tags')).toMatchObject({ key: ['CUST_ID', 'TAG'], partitionColumn: 'BUSINESS_DATE' });
  });

  it('gives every replicated dataset a stable DMS selection rule id of its own', () => {
    const ids = REPLICATED_DATASET_NAMES.map((name) => DMS_SELECTION_RULE_IDS[name]);
    expect(ids.every((id) => Number.isInteger(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('refuses a replicated text column without maxLength, naming it', () => {
    const dataset = defineDataset({
      name: 'unsized',
      description: 'a mart table with unsized text',
      owner: 'test',
      schemaVersion: 1,
      zones: ['mart'],
      columns: [{ name: 'label', type: 'string', nullable: false, classification: 'public', description: 'text' }],
      primaryKey: ['label'],
      partitionColumns: [{ name: 'business_date', type: 'date', description: 'date' }],
    });
    expect(() => toReplicaTable(dataset)).toThrow(/unsized\.label.*maxLength/);
  });

  it('refuses a dataset that is not replicated', () => {
    expect(() => replicaTable('customer_profile')).toThrow(/not replicated/);
  });
});
