import { CLASSIFICATIONS, DATASETS, HUMAN_READABLE_ZONES, HUMAN_ROLES, ZONES } from '@cur/contracts';
import { createMaskingPolicy } from '@cur/policy';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUED_FORMAT_ZONES } from '../../src/constructs/data-catalog';
import {
  HUMAN_READABLE_SENSITIVITIES,
  HUMAN_TABLE_PERMISSIONS,
  SENSITIVITY_TAG_KEY,
  SYSTEM_TABLE_PERMISSIONS,
  ZONE_TAG_KEY,
} from '../../src/constructs/lake-governance';
import type { SynthesizedStage } from '../helpers/synth-stage';
import { logicalIdOf, synthStage } from '../helpers/synth-stage';
import { props, resourcesOfType } from '../helpers/template-queries';

interface LfTag {
  TagKey: string;
  TagValues: string[];
}
interface GrantProps {
  Principal: { DataLakePrincipalIdentifier: unknown };
  Permissions: string[];
  PermissionsWithGrantOption: string[];
  Resource: {
    LFTagPolicy?: { ResourceType: string; Expression: LfTag[] };
    DataLocation?: { ResourceArn: string };
    Database?: { Name: string };
    Table?: { DatabaseName: string };
  };
}
interface AssociationProps {
  LFTags: LfTag[];
  Resource: { Database?: { Name: string }; TableWithColumns?: { DatabaseName: string; Name: string; ColumnNames: string[] } };
}

describe('Construct: LakeGovernance', () => {
  let synth: SynthesizedStage;
  let grants: GrantProps[];
  let associations: AssociationProps[];
  const roleArn = (logicalId: string): unknown => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
  beforeAll(() => {
    synth = synthStage();
    const template = synth.template('platform');
    grants = Object.values(resourcesOfType(template, 'AWS::LakeFormation::PrincipalPermissions')).map((grant) => props<GrantProps>(grant));
    associations = Object.values(resourcesOfType(template, 'AWS::LakeFormation::TagAssociation')).map((a) => props<AssociationProps>(a));
  });
  afterAll(() => synth.dispose());

  it('makes the CloudFormation execution role a data lake admin and turns off the IAMAllowedPrincipals defaults', () => {
    synth.template('platform').hasResourceProperties('AWS::LakeFormation::DataLakeSettings', {
      Admins: [{ DataLakePrincipalIdentifier: `arn:aws:iam::${synth.config.account}:role/cdk-hnb659fds-cfn-exec-role-${synth.config.account}-ap-northeast-1` }],
      MutationType: 'APPEND',
      CreateDatabaseDefaultPermissions: [],
      CreateTableDefaultPermissions: [],
    });
  });

  it('registers the masked zone buckets through the data access role, and not landing', () => {
    const locations = Object.values(resourcesOfType(synth.template('platform'), 'AWS::LakeFormation::Resource')).map((resource) => props(resource));
    const dataAccessRole = roleArn(logicalIdOf(synth.stage.platform.governance.dataAccessRole));

    // Beside the zones, only the model history's exports prefix of the system bucket (model-history-catalog.test.ts).
    expect(locations.map((location) => location['ResourceArn']).sort()).toEqual([...CATALOGUED_FORMAT_ZONES.map((zone) => `arn:aws:s3:::cur-dev-${zone}`), 'arn:aws:s3:::cur-dev-system/model-history/exports'].sort());
    for (const location of locations) expect(location).toMatchObject({ RoleArn: dataAccessRole, UseServiceLinkedRole: false, HybridAccessEnabled: false });
  });

  it('defines the zone and sensitivity LF-tags from the contracts zones and classifications', () => {
    const template = synth.template('platform');

    template.hasResourceProperties('AWS::LakeFormation::Tag', { TagKey: ZONE_TAG_KEY, TagValues: [...ZONES] });
    template.hasResourceProperties('AWS::LakeFormation::Tag', { TagKey: SENSITIVITY_TAG_KEY, TagValues: [...CLASSIFICATIONS] });
  });

  it('tags every database with its zone', () => {
    for (const zone of ZONES) {
      synth.template('platform').hasResourceProperties('AWS::LakeFormation::TagAssociation', {
        Resource: { Database: Match.objectLike({ Name: `cur_dev_${zone}` }) },
        LFTags: [Match.objectLike({ TagKey: ZONE_TAG_KEY, TagValues: [zone] })],
      });
    }
  });

  it('tags every column of every catalogued table, once, with its contracts classification', () => {
    const tagged = new Map<string, string[]>();
    for (const association of associations) {
      const table = association.Resource.TableWithColumns;
      if (!table) continue;
      const [tag] = association.LFTags;
      expect(association.LFTags).toHaveLength(1);
      expect(tag?.TagKey).toBe(SENSITIVITY_TAG_KEY);
      for (const column of table.ColumnNames) {
        const key = `${table.DatabaseName}.${table.Name}.${column}`;
        tagged.set(key, [...(tagged.get(key) ?? []), ...(tag?.TagValues ?? [])]);
      }
    }

    const expected = new Map<string, string[]>();
    for (const dataset of Object.values(DATASETS)) {
      for (const zone of dataset.zones.filter((candidate) => CATALOGUED_FORMAT_ZONES.includes(candidate))) {
        for (const column of dataset.columns) expected.set(`cur_dev_${zone}.${dataset.name}.${column.name}`, [column.classification]);
        for (const column of dataset.partitionColumns) expected.set(`cur_dev_${zone}.${dataset.name}.${column.name}`, ['public']);
      }
    }
    expect(Object.fromEntries(tagged)).toEqual(Object.fromEntries(expected));
  });

  it('grants each human role SELECT and DESCRIBE by LF-tag expression on the masked zones, never landing or secret', () => {
    const humans = HUMAN_ROLES.map((role) => roleArn(logicalIdOf(synth.stage.platform.roles.humanRoles[role])));
    for (const human of humans) {
      const own = grants.filter((grant) => JSON.stringify(grant.Principal.DataLakePrincipalIdentifier) === JSON.stringify(human));

      expect(own).toContainEqual(
        expect.objectContaining({
          Permissions: [...HUMAN_TABLE_PERMISSIONS],
          Resource: {
            LFTagPolicy: expect.objectContaining({
              ResourceType: 'TABLE',
              Expression: [
                { TagKey: ZONE_TAG_KEY, TagValues: [...HUMAN_READABLE_ZONES] },
                { TagKey: SENSITIVITY_TAG_KEY, TagValues: [...HUMAN_READABLE_SENSITIVITIES] },
              ],
            }),
          },
        }),
      );
      for (const grant of own) {
        const text = JSON.stringify(grant.Resource);
        expect(text).not.toContain('landing');
        expect(text).not.toContain('"secret"');
        expect(grant.Resource.DataLocation).toBeUndefined();
        expect(grant.Permissions).not.toContain('ALL');
        expect(grant.PermissionsWithGrantOption).toEqual([]);
      }
    }
    expect(HUMAN_READABLE_ZONES).not.toContain('landing');
  });

  it('shows each human role exactly the columns the masking policy gives it a view of', () => {
    // The policy lib decides per column; the LF grant decides per sensitivity tag. They must agree.
    const policy = createMaskingPolicy();
    for (const role of HUMAN_ROLES) {
      for (const dataset of Object.values(DATASETS)) {
        const visibleByLakeFormation = dataset.columns
          .filter((column) => HUMAN_READABLE_SENSITIVITIES.includes(column.classification))
          .map((column) => column.name);

        expect(visibleByLakeFormation, `${role} ${dataset.name}`).toEqual(policy.viewOf(role, dataset.name).map(({ column }) => column.name));
      }
    }
  });

  it('grants no principal anything on the landing zone', () => {
    for (const grant of grants) {
      const zones = grant.Resource.LFTagPolicy?.Expression.find((tag) => tag.TagKey === ZONE_TAG_KEY)?.TagValues ?? [];
      expect(zones).not.toContain('landing');
      expect(grant.Resource.DataLocation?.ResourceArn ?? '').not.toContain('landing');
    }
  });

  it('grants SYSTEM what the pipeline writes with, on the masked zones only', () => {
    const system = roleArn(logicalIdOf(synth.stage.platform.roles.systemRole));
    const own = grants.filter((grant) => JSON.stringify(grant.Principal.DataLakePrincipalIdentifier) === JSON.stringify(system));

    expect(own).toContainEqual(
      expect.objectContaining({
        Permissions: [...SYSTEM_TABLE_PERMISSIONS],
        Resource: { LFTagPolicy: expect.objectContaining({ ResourceType: 'TABLE', Expression: [{ TagKey: ZONE_TAG_KEY, TagValues: [...CATALOGUED_FORMAT_ZONES] }] }) },
      }),
    );
    expect(own.filter((grant) => grant.Resource.DataLocation).map((grant) => grant.Resource.DataLocation?.ResourceArn).sort()).toEqual(
      CATALOGUED_FORMAT_ZONES.map((zone) => `arn:aws:s3:::cur-dev-${zone}`).sort(),
    );
    for (const grant of own) {
      expect(grant.Permissions).not.toContain('DROP');
      expect(grant.Permissions).not.toContain('ALL');
    }
  });

  it('grants only to the five human roles and SYSTEM', () => {
    const principals = new Set(grants.map((grant) => JSON.stringify(grant.Principal.DataLakePrincipalIdentifier)));
    const expected = [...HUMAN_ROLES.map((role) => synth.stage.platform.roles.humanRoles[role]), synth.stage.platform.roles.systemRole].map((role) =>
      JSON.stringify(roleArn(logicalIdOf(role))),
    );

    expect([...principals].sort()).toEqual(expected.sort());
  });
});
