import { CLASSIFICATIONS, HUMAN_READABLE_ZONES, HUMAN_ROLES, ZONES } from '@cur/contracts';
import type { Classification, HumanRole, Zone } from '@cur/contracts';
import type { CfnResource as CoreCfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct } from 'constructs';
import type { PlatformNames } from '../config/platform-names';
import { acknowledgeNagFindings } from '../core/nag-acknowledgement';
import type { DataCatalog } from './data-catalog';
import { CATALOGUED_FORMAT_ZONES } from './data-catalog';
import { KEY_USE_ACTIONS } from './lake-keys';

/** The LF-tag on databases that says which zone they are. */
export const ZONE_TAG_KEY = 'zone';

/** The LF-tag on columns that carries the contracts classification. */
export const SENSITIVITY_TAG_KEY = 'sensitivity';

/**
 * Classifications a human role may select. Masked zones hold tokens for `direct` and generalised values for `quasi`
 * columns; `secret` columns are never shown to a person (libs/contracts `CLASSIFICATIONS`).
 */
export const HUMAN_READABLE_SENSITIVITIES: readonly Classification[] = CLASSIFICATIONS.filter((value) => value !== 'secret');

/** What a human role may do on the tables its LF-tag expression matches. */
export const HUMAN_TABLE_PERMISSIONS = ['SELECT', 'DESCRIBE'] as const;

/** What a human role may do on the databases of the readable zones. */
export const HUMAN_DATABASE_PERMISSIONS = ['DESCRIBE'] as const;

/** What SYSTEM may do on the tables of the catalogued zones: write partitions, never drop tables. */
export const SYSTEM_TABLE_PERMISSIONS = ['SELECT', 'INSERT', 'DELETE', 'DESCRIBE', 'ALTER'] as const;

/** What SYSTEM may do on the databases of the catalogued zones. */
export const SYSTEM_DATABASE_PERMISSIONS = ['CREATE_TABLE', 'DESCRIBE'] as const;

/** Properties of {@link LakeGovernance}. */
export interface LakeGovernanceProps {
  readonly names: PlatformNames;
  readonly catalog: DataCatalog;
  /** The lake key, which the data access role needs to read and write the registered locations. */
  readonly lakeKey: kms.IKey;
  readonly humanRoles: Readonly<Record<HumanRole, iam.IRole>>;
  readonly systemRole: iam.IRole;
  /** Data lake administrators; the CloudFormation execution role must be one of them. */
  readonly adminArns: readonly string[];
  /** Whether the data lake settings are appended to or replace what the account has. */
  readonly settingsMutation: 'APPEND' | 'REPLACE';
  /**
   * Zones whose buckets are registered with Lake Formation.
   * @default CATALOGUED_FORMAT_ZONES (raw, transformed, consumption, mart; landing stays IAM-only, SYSTEM-only)
   */
  readonly registeredZones?: readonly Zone[];
}

/**
 * Lake Formation over the catalog: data lake settings (admins, no IAMAllowedPrincipals defaults), the zone buckets
 * registered through a dedicated data access role, LF-tags `zone` (databases) and `sensitivity` (every column, from
 * its contracts classification), and grants by LF-tag expression: each human role gets SELECT and DESCRIBE on the
 * human-readable zones and sensitivities, nothing on landing; SYSTEM gets what the pipeline writes with.
 */
export class LakeGovernance extends Construct {
  public readonly settings: lakeformation.CfnDataLakeSettings;
  /** The role Lake Formation assumes to vend credentials for the registered locations. */
  public readonly dataAccessRole: iam.Role;
  public readonly zoneTag: lakeformation.CfnTag;
  public readonly sensitivityTag: lakeformation.CfnTag;
  /** Every grant made, for tests and reviews. */
  public readonly grants: readonly lakeformation.CfnPrincipalPermissions[];

  constructor(scope: Construct, id: string, props: LakeGovernanceProps) {
    super(scope, id);
    const { names, catalog } = props;
    const account = names.account;
    const registeredZones = props.registeredZones ?? CATALOGUED_FORMAT_ZONES;

    this.settings = new lakeformation.CfnDataLakeSettings(this, 'Settings', {
      admins: props.adminArns.map((arn) => ({ dataLakePrincipalIdentifier: arn })),
      mutationType: props.settingsMutation,
      createDatabaseDefaultPermissions: [],
      createTableDefaultPermissions: [],
    });
    const afterSettings = (resource: CoreCfnResource): void => resource.addResourceDependency(this.settings);
    for (const database of Object.values(catalog.databases)) afterSettings(database);

    this.dataAccessRole = new iam.Role(this, 'DataAccessRole', {
      roleName: names.lakeFormationDataAccessRoleName,
      description: `CUR ${names.stage}: Lake Formation reads and writes the registered zone buckets with this role`,
      assumedBy: new iam.CompositePrincipal(
        new iam.ServicePrincipal('lakeformation.amazonaws.com'),
        new iam.ServicePrincipal('glue.amazonaws.com'),
      ),
    });
    this.dataAccessRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListRegisteredBuckets',
        actions: ['s3:ListBucket'],
        resources: registeredZones.map((zone) => names.bucketArn(zone)),
      }),
    );
    this.dataAccessRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadWriteRegisteredObjects',
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: registeredZones.map((zone) => `${names.bucketArn(zone)}/*`),
      }),
    );
    this.dataAccessRole.addToPolicy(
      new iam.PolicyStatement({ sid: 'UseLakeKey', actions: [...KEY_USE_ACTIONS], resources: [props.lakeKey.keyArn] }),
    );
    acknowledgeNagFindings(
      this.dataAccessRole,
      registeredZones.map((zone) => `AwsSolutions-IAM5[Resource::${names.bucketArn(zone)}/*]`),
      'Lake Formation vends access to any object of a registered location; LF grants, not this role, narrow it per principal.',
    );
    acknowledgeNagFindings(
      this.dataAccessRole,
      ['AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]'],
      'Writing SSE-KMS objects needs every GenerateDataKey and ReEncrypt variant, and only on the lake key named in the statement.',
    );

    const locations = new Map<Zone, lakeformation.CfnResource>();
    for (const zone of registeredZones) {
      const location = new lakeformation.CfnResource(this, `${zone}-location`, {
        resourceArn: names.bucketArn(zone),
        roleArn: this.dataAccessRole.roleArn,
        useServiceLinkedRole: false,
        hybridAccessEnabled: false,
      });
      afterSettings(location);
      locations.set(zone, location);
    }

    this.zoneTag = new lakeformation.CfnTag(this, 'ZoneTag', { catalogId: account, tagKey: ZONE_TAG_KEY, tagValues: [...ZONES] });
    this.sensitivityTag = new lakeformation.CfnTag(this, 'SensitivityTag', {
      catalogId: account,
      tagKey: SENSITIVITY_TAG_KEY,
      tagValues: [...CLASSIFICATIONS],
    });
    afterSettings(this.zoneTag);
    afterSettings(this.sensitivityTag);

    for (const zone of ZONES) {
      const association = new lakeformation.CfnTagAssociation(this, `${zone}-database-tags`, {
        resource: { database: { catalogId: account, name: names.glueDatabaseName(zone) } },
        lfTags: [{ catalogId: account, tagKey: ZONE_TAG_KEY, tagValues: [zone] }],
      });
      association.addResourceDependency(this.zoneTag);
      association.addResourceDependency(catalog.databases[zone]);
    }

    for (const { dataset, zone, table } of catalog.tables) {
      const columnsByClassification = new Map<Classification, string[]>();
      for (const column of dataset.columns) {
        columnsByClassification.set(column.classification, [...(columnsByClassification.get(column.classification) ?? []), column.name]);
      }
      // Partition columns (the business date) describe the batch, not a person.
      for (const column of dataset.partitionColumns) {
        columnsByClassification.set('public', [...(columnsByClassification.get('public') ?? []), column.name]);
      }
      for (const [classification, columnNames] of columnsByClassification) {
        const association = new lakeformation.CfnTagAssociation(this, `${zone}-${dataset.name}-${classification}-columns`, {
          resource: {
            tableWithColumns: { catalogId: account, databaseName: names.glueDatabaseName(zone), name: dataset.name, columnNames },
          },
          lfTags: [{ catalogId: account, tagKey: SENSITIVITY_TAG_KEY, tagValues: [classification] }],
        });
        association.addResourceDependency(this.sensitivityTag);
        association.addResourceDependency(table);
      }
    }

    const grants: lakeformation.CfnPrincipalPermissions[] = [];
    const grant = (
      grantId: string,
      principalArn: string,
      resource: lakeformation.CfnPrincipalPermissions.ResourceProperty,
      permissions: readonly string[],
      dependsOn: readonly CoreCfnResource[] = [],
    ): void => {
      const permission = new lakeformation.CfnPrincipalPermissions(this, grantId, {
        catalog: account,
        principal: { dataLakePrincipalIdentifier: principalArn },
        resource,
        permissions: [...permissions],
        permissionsWithGrantOption: [],
      });
      permission.addResourceDependency(this.zoneTag);
      permission.addResourceDependency(this.sensitivityTag);
      afterSettings(permission);
      for (const dependency of dependsOn) permission.addResourceDependency(dependency);
      grants.push(permission);
    };
    const tagPolicy = (
      resourceType: 'DATABASE' | 'TABLE',
      expression: Readonly<Record<string, readonly string[]>>,
    ): lakeformation.CfnPrincipalPermissions.ResourceProperty => ({
      lfTagPolicy: {
        catalogId: account,
        resourceType,
        expression: Object.entries(expression).map(([tagKey, tagValues]) => ({ tagKey, tagValues: [...tagValues] })),
      },
    });

    for (const role of HUMAN_ROLES) {
      const roleArn = props.humanRoles[role].roleArn;
      grant(`${role}-databases`, roleArn, tagPolicy('DATABASE', { [ZONE_TAG_KEY]: HUMAN_READABLE_ZONES }), HUMAN_DATABASE_PERMISSIONS);
      grant(
        `${role}-tables`,
        roleArn,
        tagPolicy('TABLE', { [ZONE_TAG_KEY]: HUMAN_READABLE_ZONES, [SENSITIVITY_TAG_KEY]: HUMAN_READABLE_SENSITIVITIES }),
        HUMAN_TABLE_PERMISSIONS,
      );
    }

    const systemArn = props.systemRole.roleArn;
    grant('SYSTEM-databases', systemArn, tagPolicy('DATABASE', { [ZONE_TAG_KEY]: registeredZones }), SYSTEM_DATABASE_PERMISSIONS);
    grant('SYSTEM-tables', systemArn, tagPolicy('TABLE', { [ZONE_TAG_KEY]: registeredZones }), SYSTEM_TABLE_PERMISSIONS);
    for (const [zone, location] of locations) {
      grant(
        `SYSTEM-${zone}-location`,
        systemArn,
        { dataLocation: { catalogId: account, resourceArn: names.bucketArn(zone) } },
        ['DATA_LOCATION_ACCESS'],
        [location],
      );
    }
    this.grants = grants;
  }
}
