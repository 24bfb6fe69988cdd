import { Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { PlatformNames } from '../config/platform-names';
import type { StageConfig } from '../config/stage-config';
import { DataCatalog } from '../constructs/data-catalog';
import { LakeBuckets } from '../constructs/lake-buckets';
import { LakeGovernance } from '../constructs/lake-governance';
import { LakeKeys } from '../constructs/lake-keys';
import { ModelHistoryCatalog } from '../constructs/model-history-catalog';
import { PlatformEventBus } from '../constructs/platform-event-bus';
import { PlatformParameters } from '../constructs/platform-parameters';
import { PlatformRoles } from '../constructs/platform-roles';
import { PlatformTables } from '../constructs/platform-tables';
import { PlatformTopics } from '../constructs/platform-topics';

/** Properties of {@link PlatformStack}. */
export interface PlatformStackProps extends StackProps {
  readonly config: StageConfig;
  readonly names: PlatformNames;
}

/**
 * What every app shares, owned by the data platform team: keys, buckets, the Glue Data Catalog, Lake Formation, the
 * IAM roles of people and of SYSTEM, the DynamoDB tables, the SNS topics and the platform event bus. Deployed before any app stack; app
 * stacks find its resources by name (and the key ARNs in SSM), never through CloudFormation exports.
 */
export class PlatformStack extends Stack {
  public readonly keys: LakeKeys;
  public readonly buckets: LakeBuckets;
  public readonly catalog: DataCatalog;
  /** The model history's exports in the catalog, readable by DS and DA through Lake Formation. */
  public readonly modelHistoryCatalog: ModelHistoryCatalog;
  public readonly roles: PlatformRoles;
  public readonly governance: LakeGovernance;
  public readonly tables: PlatformTables;
  public readonly topics: PlatformTopics;
  public readonly eventBus: PlatformEventBus;
  public readonly parameters: PlatformParameters;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, {
      description: `CUR ${props.config.stage}: keys, lake buckets, Glue catalog, Lake Formation, roles, tables, topics, event bus`,
      ...props,
    });
    const { config, names } = props;

    this.keys = new LakeKeys(this, 'Keys', {
      names,
      // Two-party control: policy changes come from a reviewed deploy or from a break-glass role, never an admin alone.
      keyPolicyAdminArns: [names.cloudFormationExecutionRoleArn(config.cdkQualifier), ...config.keyAdministration.breakGlassRoleArns],
    });
    const { landingExpiryDays, rawObjectLockDays, noncurrentVersionDays, accessLogDays } = config.retention;
    this.buckets = new LakeBuckets(this, 'Buckets', {
      names,
      keys: this.keys.keys,
      landingExpiryDays,
      rawObjectLockDays,
      noncurrentVersionDays,
      accessLogDays,
    });
    this.catalog = new DataCatalog(this, 'Catalog', { names });
    this.roles = new PlatformRoles(this, 'Roles', {
      names,
      keys: this.keys.keys,
      humanRolePrincipals: config.humanRolePrincipals,
    });
    this.governance = new LakeGovernance(this, 'Governance', {
      names,
      catalog: this.catalog,
      lakeKey: this.keys.keys.lake,
      humanRoles: this.roles.humanRoles,
      systemRole: this.roles.systemRole,
      adminArns: [names.cloudFormationExecutionRoleArn(config.cdkQualifier), ...config.lakeFormation.adminArns],
      settingsMutation: config.lakeFormation.settingsMutation,
    });
    this.modelHistoryCatalog = new ModelHistoryCatalog(this, 'ModelHistoryCatalog', {
      names,
      dataAccessRole: this.governance.dataAccessRole,
      settings: this.governance.settings,
      humanRoles: this.roles.humanRoles,
    });
    this.tables = new PlatformTables(this, 'Tables', { names, keys: this.keys.keys });
    this.topics = new PlatformTopics(this, 'Topics', { names, key: this.keys.keys.lake });
    this.eventBus = new PlatformEventBus(this, 'Events', { names });
    this.parameters = new PlatformParameters(this, 'Parameters', { names, dataHub: config.dataHub });
  }
}
