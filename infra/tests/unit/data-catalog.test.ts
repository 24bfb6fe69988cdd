import { DATASETS, ZONES, ZONE_DESCRIPTIONS } from '@cur/contracts';
import { createMaskingPolicy } from '@cur/policy';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUED_FORMAT_ZONES, PARQUET_STORAGE } from '../../src/constructs/data-catalog';
import type { SynthesizedStage } from '../helpers/synth-stage';
import { synthStage } from '../helpers/synth-stage';
import { props, resourcesOfType } from '../helpers/template-queries';

const policy = createMaskingPolicy();

interface TableProps {
  DatabaseName: string;
  TableInput: {
    Name: string;
    TableType: string;
    PartitionKeys: { Name: string; Type: string }[];
    StorageDescriptor: {
      Location: string;
      InputFormat: string;
      OutputFormat: string;
      SerdeInfo: { SerializationLibrary: string };
      Columns: { Name: string; Type: string; Comment: string }[];
    };
  };
}

describe('Construct: DataCatalog', () => {
  let synth: SynthesizedStage;
  let tables: TableProps[];
  beforeAll(() => {
    synth = synthStage();
    // The zones' tables; the model history's exports have their own database (model-history-catalog.test.ts).
    tables = Object.values(resourcesOfType(synth.template('platform'), 'AWS::Glue::Table'))
      .map((table) => props<TableProps>(table))
      .filter((table) => table.DatabaseName !== 'cur_dev_model_history');
  });
  afterAll(() => synth.dispose());

  it('creates a Glue database per zone, located in its bucket, with no IAMAllowedPrincipals default', () => {
    const template = synth.template('platform');

    // One per zone, and the model history's exports' (model-history-catalog.test.ts).
    template.resourceCountIs('AWS::Glue::Database', ZONES.length + 1);
    for (const zone of ZONES) {
      template.hasResourceProperties('AWS::Glue::Database', {
        CatalogId: synth.config.account,
        DatabaseInput: Match.objectLike({
          Name: `cur_dev_${zone}`,
          Description: ZONE_DESCRIPTIONS[zone],
          LocationUri: `s3://cur-dev-${zone}/`,
          CreateTableDefaultPermissions: [],
        }),
      });
    }
  });

  const expectedTables = Object.values(DATASETS).flatMap((dataset) =>
    dataset.zones.filter((zone) => CATALOGUED_FORMAT_ZONES.includes(zone)).map((zone) => ({ dataset, zone })),
  );

  it('types raw columns as text, masked transformed columns as text, and plaintext ones as the contract says', () => {
    const column = (zone: string, dataset: string, name: string): string | undefined =>
      tables.find((t) => t.DatabaseName === `cur_dev_${zone}` && t.TableInput.Name === dataset)?.TableInput.StorageDescriptor.Columns.find((c) => c.Name === name)?.Type;

    expect(column('raw', 'account_balance', 'balance')).toBe('string');
    expect(column('transformed', 'account_balance', 'balance')).toMatch(/^decimal\(/);
    expect(column('transformed', 'customer_profile', 'birth_date')).toBe('string');
    expect(column('transformed', 'customer_profile', 'gender')).toBe('string');
    expect(column('transformed', 'card_transaction', 'txn_time')).toBe('timestamp');
  });

  it('catalogues every contracts dataset in every Parquet zone it declares, and nothing else', () => {
    expect(expectedTables.length).toBeGreaterThan(0);
    expect(tables.map((table) => `${table.DatabaseName}.${table.TableInput.Name}`).sort()).toEqual(
      expectedTables.map(({ dataset, zone }) => `cur_dev_${zone}.${dataset.name}`).sort(),
    );
    expect(tables.some((table) => table.DatabaseName === 'cur_dev_landing')).toBe(false);
  });

  it.each(expectedTables.map(({ dataset, zone }) => [`${zone}.${dataset.name}`, dataset, zone] as const))(
    '%s has the contracts columns in order, typed as stored in the zone, the partition keys and the Parquet SerDe',
    (_name, dataset, zone) => {
      const table = tables.find((candidate) => candidate.DatabaseName === `cur_dev_${zone}` && candidate.TableInput.Name === dataset.name);
      const input = table?.TableInput;
      // raw holds the extract's text; transformed keeps what the policy masks as text (tokens, generalised values).
      const stored = (name: string, type: string): string =>
        zone === 'raw' || (zone === 'transformed' && policy.storageTreatmentFor(dataset.name, name).method !== 'plaintext') ? 'string' : type;

      expect(input?.StorageDescriptor.Columns.map(({ Name, Type }) => ({ name: Name, type: Type }))).toEqual(
        dataset.columns.map(({ name, type }) => ({ name, type: stored(name, type) })),
      );
      expect(input?.PartitionKeys.map(({ Name, Type }) => ({ name: Name, type: Type }))).toEqual(
        dataset.partitionColumns.map(({ name, type }) => ({ name, type })),
      );
      expect(input?.TableType).toBe('EXTERNAL_TABLE');
      expect(input?.StorageDescriptor).toMatchObject({
        Location: `s3://cur-dev-${zone}/${dataset.name}/`,
        InputFormat: PARQUET_STORAGE.inputFormat,
        OutputFormat: PARQUET_STORAGE.outputFormat,
        SerdeInfo: { SerializationLibrary: PARQUET_STORAGE.serializationLibrary },
      });
    },
  );
});
