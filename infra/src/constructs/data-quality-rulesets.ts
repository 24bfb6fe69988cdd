import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDataset, isDatasetName } from '@cur/contracts';
import type { Zone } from '@cur/contracts';
import { RULESETS, parseDqdl, referencedDatasets, rulesetName } from '@cur/dq';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct } from 'constructs';
import { glueDataQualityRoleName } from '../config/glue-jobs';
import { WORKSPACE_ROOT } from '../config/paths';
import type { PlatformNames } from '../config/platform-names';
import { acknowledgeNagFindings } from '../core/nag-acknowledgement';
import { GLUE_LOGS_KEY_ACTIONS, glueLogGroupsArn } from './glue-job-security';
import { KEY_READ_ACTIONS } from './service-data-access';

/** Where libs/dq ships its rulesets: `<dataset>.<zone>.dqdl`. */
export const DQ_RULESETS_DIR = join(WORKSPACE_ROOT, 'libs', 'dq', 'src', 'rulesets');

/** Catalog actions an evaluation needs on the tables it reads. */
export const DQ_CATALOG_ACTIONS = ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'] as const;

/** What the evaluation role gets from Lake Formation on each table it evaluates or references. */
export const DQ_TABLE_PERMISSIONS = ['SELECT', 'DESCRIBE'] as const;

/**
 * Where a rule's reference alias is read: the first of these zones the dataset lives in, the order the local gate
 * looks in (libs/pipeline `quality-gate.ts`), so `customer_profile` is the transformed table, `customer_features` the
 * consumption one.
 */
export const REFERENCE_ZONES: readonly Zone[] = ['consumption', 'transformed', 'raw'];

/** One shipped ruleset as deployed. */
export interface DeployedRuleset {
  readonly name: string;
  readonly dataset: string;
  readonly zone: Zone;
  /** The tables its rules reference by alias (`ReferentialIntegrity "cust_id" "customer_features.{cust_id}"`). */
  readonly references: readonly { readonly zone: Zone; readonly table: string }[];
  readonly resource: glue.CfnDataQualityRuleset;
}

/** Properties of {@link DataQualityRulesets}. */
export interface DataQualityRulesetsProps {
  readonly names: PlatformNames;
  /** The lake key's ARN, to read the zones the rulesets evaluate. */
  readonly lakeKeyArn: string;
  /** The key of the Glue logs (the evaluation runs log like a job). */
  readonly logsKeyArn: string;
}

/**
 * Glue Data Quality rulesets from the `.dqdl` files libs/dq ships (`RULESETS`), each parsed first so a file the local
 * gate cannot read never deploys, named `<dataset>_<zone>` as the MWAA DAG's gates name them and targeting the zone's
 * catalog table; and the role evaluations run as, `cur-<stage>-glue-dq`, which may read exactly those tables and the
 * tables their rules reference (IAM, and SELECT through Lake Formation).
 */
export class DataQualityRulesets extends Construct {
  public readonly rulesets: readonly DeployedRuleset[];
  public readonly role: iam.Role;
  public readonly grants: readonly lakeformation.CfnPrincipalPermissions[];

  constructor(scope: Construct, id: string, props: DataQualityRulesetsProps) {
    super(scope, id);
    const { names } = props;
    const rulesets: DeployedRuleset[] = [];
    for (const { dataset, zone } of RULESETS) {
      const text = readFileSync(join(DQ_RULESETS_DIR, `${dataset}.${zone}.dqdl`), 'utf8');
      const references = referencedDatasets(parseDqdl(text)).map((reference) => {
        const referenceZone = isDatasetName(reference) ? REFERENCE_ZONES.find((candidate) => getDataset(reference).zones.includes(candidate)) : undefined;
        if (referenceZone === undefined) throw new Error(`ruleset ${dataset}.${zone} references ${reference}, which is not a catalogued dataset`);
        return { zone: referenceZone, table: reference };
      });
      const name = rulesetName(dataset, zone);
      const resource = new glue.CfnDataQualityRuleset(this, name, {
        name,
        description: `CUR ${names.stage}: ${dataset} in ${zone} (libs/dq/src/rulesets/${dataset}.${zone}.dqdl)`,
        ruleset: text,
        targetTable: { databaseName: names.glueDatabaseName(zone), tableName: dataset },
      });
      rulesets.push({ name, dataset, zone, references, resource });
    }
    this.rulesets = rulesets;

    const tables = new Map<string, { zone: Zone; table: string }>();
    for (const ruleset of rulesets) {
      for (const { zone, table } of [{ zone: ruleset.zone, table: ruleset.dataset }, ...ruleset.references]) tables.set(`${zone}.${table}`, { zone, table });
    }
    const zones = [...new Set([...tables.values()].map(({ zone }) => zone))];
    const tableArn = (zone: Zone, table: string): string => `arn:${names.partition}:glue:${names.region}:${names.account}:table/${names.glueDatabaseName(zone)}/${table}`;
    this.role = new iam.Role(this, 'Role', {
      roleName: glueDataQualityRoleName(names),
      description: `CUR ${names.stage}: Glue Data Quality evaluations of the shipped rulesets (read only)`,
      assumedBy: new iam.ServicePrincipal('glue.amazonaws.com'),
    });
    const statements = [
      new iam.PolicyStatement({
        sid: 'ReadRulesets',
        actions: ['glue:GetDataQualityRuleset'],
        resources: rulesets.map((r) => `arn:${names.partition}:glue:${names.region}:${names.account}:dataQualityRuleset/${r.name}`),
      }),
      new iam.PolicyStatement({
        sid: 'ReadCatalogTables',
        actions: [...DQ_CATALOG_ACTIONS],
        resources: [names.glueCatalogArn, ...zones.map((zone) => names.glueDatabaseArn(zone)), ...[...tables.values()].map(({ zone, table }) => tableArn(zone, table))],
      }),
      new iam.PolicyStatement({
        sid: 'ListTableFolders',
        actions: ['s3:ListBucket'],
        resources: zones.map((zone) => names.bucketArn(zone)),
        conditions: { StringLike: { 's3:prefix': [...new Set([...tables.values()].map(({ table }) => `${table}/*`))].sort() } },
      }),
      new iam.PolicyStatement({ sid: 'ReadTableFolders', actions: ['s3:GetObject'], resources: [...tables.values()].map(({ zone, table }) => `${names.bucketArn(zone)}/${table}/*`) }),
      new iam.PolicyStatement({ sid: 'ReadLakeKey', actions: [...KEY_READ_ACTIONS], resources: [props.lakeKeyArn] }),
      new iam.PolicyStatement({ sid: 'LakeFormationCredentialVending', actions: ['lakeformation:GetDataAccess'], resources: ['*'] }),
      new iam.PolicyStatement({
        sid: 'WriteEvaluationLogs',
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:AssociateKmsKey'],
        resources: [glueLogGroupsArn(names)],
      }),
      new iam.PolicyStatement({ sid: 'UseLogsKey', actions: [...GLUE_LOGS_KEY_ACTIONS], resources: [props.logsKeyArn] }),
    ];
    for (const statement of statements) this.role.addToPolicy(statement);
    acknowledgeNagFindings(
      this.role,
      [...tables.values()].map(({ zone, table }) => `AwsSolutions-IAM5[Resource::${names.bucketArn(zone)}/${table}/*]`),
      'An evaluation reads the partitions (business_date=...) of the tables its ruleset targets or references, and no other folder.',
    );
    acknowledgeNagFindings(this.role, ['AwsSolutions-IAM5[Resource::*]'], 'lakeformation:GetDataAccess has no resource-level permissions; Lake Formation grants decide which data is vended.');
    acknowledgeNagFindings(
      this.role,
      [`AwsSolutions-IAM5[Resource::${glueLogGroupsArn(names)}]`],
      'Glue names an evaluation run’s log groups and streams under /aws-glue/ at run time; the grant covers that prefix of this account and region only.',
    );

    this.grants = [...tables.values()].map(({ zone, table }) => {
      const grant = new lakeformation.CfnPrincipalPermissions(this, `${zone}-${table}-grant`, {
        catalog: names.account,
        principal: { dataLakePrincipalIdentifier: this.role.roleArn },
        resource: { table: { catalogId: names.account, databaseName: names.glueDatabaseName(zone), name: table } },
        permissions: [...DQ_TABLE_PERMISSIONS],
        permissionsWithGrantOption: [],
      });
      grant.node.addDependency(this.role);
      return grant;
    });
  }
}
