import { MODEL_EXPORT_PREFIX, MODEL_EXPORT_TABLES, modelExportKey, type ModelExportTable } from '@cur/model-registry';
import type { HumanRole } from '@cur/contracts';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct } from 'constructs';
import type { PlatformNames } from '../config/platform-names';
import { acknowledgeNagFinding } from '../core/nag-acknowledgement';
import { PARQUET_STORAGE } from './data-catalog';

/** One column of an exported table, as `exportModelHistory` (libs/model-registry) writes it with DuckDB. */
export interface ExportColumn {
  readonly name: string;
  readonly type: string;
  readonly comment: string;
}

/** The exports' columns in Hive types: what DuckDB writes (VARCHAR, TIMESTAMP, DOUBLE, INTEGER, BIGINT). */
export const MODEL_EXPORT_COLUMNS: Readonly<Record<ModelExportTable, readonly ExportColumn[]>> = {
  model_history: [
    { name: 'version_id', type: 'string', comment: 'the training job name, cur-<stage>-train-...' },
    { name: 'target_tag', type: 'string', comment: 'the rule-based tag the model learns' },
    { name: 'status', type: 'string', comment: 'InProgress, Completed, Failed or Stopped' },
    { name: 'created_at', type: 'timestamp', comment: 'when the training job was created (UTC)' },
    { name: 'metric', type: 'string', comment: 'a final metric name, e.g. validation:auc; null for a version without metrics' },
    { name: 'value', type: 'double', comment: "the metric's final value" },
  ],
  model_score_distributions: [
    { name: 'version_id', type: 'string', comment: 'a Completed version' },
    { name: 'bin', type: 'int', comment: 'the equal-width score bin, 0 to 9' },
    { name: 'lower', type: 'double', comment: "the bin's lower bound" },
    { name: 'upper', type: 'double', comment: "the bin's upper bound" },
    { name: 'holdout_count', type: 'bigint', comment: 'holdout customers scored in the bin' },
  ],
};

/** Who reads the exports: DS trains and reads the history, DA reads metrics (versions, names and numbers only). */
export const MODEL_HISTORY_READER_ROLES: readonly HumanRole[] = ['DS', 'DA'];

/** Properties of {@link ModelHistoryCatalog}. */
export interface ModelHistoryCatalogProps {
  readonly names: PlatformNames;
  /** The role Lake Formation vends credentials with (`LakeGovernance.dataAccessRole`, which holds the lake key). */
  readonly dataAccessRole: iam.Role;
  /** The data lake settings, which every grant and registration follows. */
  readonly settings: lakeformation.CfnDataLakeSettings;
  /** The human roles; those of {@link MODEL_HISTORY_READER_ROLES} get SELECT and DESCRIBE. */
  readonly humanRoles: Readonly<Record<HumanRole, iam.IRole>>;
}

/**
 * The model history's exports in the Glue Data Catalog, so Athena and Glue Spark SQL read what the model-history
 * Lambda (and `cur model train`) rewrite in the system bucket: a database `cur_<stage>_model_history` with two
 * unpartitioned Parquet tables over `model-history/exports/<table>/`. Only that prefix of the system bucket is
 * registered with Lake Formation (through the lake's data access role), and DS and DA get DESCRIBE on the database and
 * SELECT and DESCRIBE on both tables by name; no other role, and no IAMAllowedPrincipals default.
 */
export class ModelHistoryCatalog extends Construct {
  public readonly database: glue.CfnDatabase;
  public readonly tables: Readonly<Record<ModelExportTable, glue.CfnTable>>;
  /** The registered location, `arn:...:s3:::<system>/model-history/exports`. */
  public readonly location: lakeformation.CfnResource;
  public readonly grants: readonly lakeformation.CfnPrincipalPermissions[];

  constructor(scope: Construct, id: string, props: ModelHistoryCatalogProps) {
    super(scope, id);
    const { names } = props;
    const account = names.account;
    const system = names.bucketName('system');
    const databaseName = names.modelHistoryDatabaseName;

    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: account,
      databaseInput: {
        name: databaseName,
        description: 'The model history exported for Spark SQL and Athena: versions with their metrics, and holdout score histograms',
        locationUri: `s3://${system}/${MODEL_EXPORT_PREFIX}/`,
        createTableDefaultPermissions: [],
      },
    });
    this.database.addResourceDependency(props.settings);

    const tables = {} as Record<ModelExportTable, glue.CfnTable>;
    for (const name of MODEL_EXPORT_TABLES) {
      const folder = modelExportKey(name).slice(0, modelExportKey(name).lastIndexOf('/') + 1);
      const table = new glue.CfnTable(this, name, {
        catalogId: account,
        databaseName,
        tableInput: {
          name,
          description: name === 'model_history' ? 'One row per model version and final metric, rewritten after each training' : "Each Completed version's holdout scores in 10 equal-width bins",
          tableType: 'EXTERNAL_TABLE',
          parameters: { classification: 'parquet', EXTERNAL: 'TRUE', 'cur.owner': 'model-history' },
          storageDescriptor: {
            location: `s3://${system}/${folder}`,
            inputFormat: PARQUET_STORAGE.inputFormat,
            outputFormat: PARQUET_STORAGE.outputFormat,
            serdeInfo: { serializationLibrary: PARQUET_STORAGE.serializationLibrary, parameters: { 'serialization.format': '1' } },
            compressed: false,
            storedAsSubDirectories: false,
            columns: MODEL_EXPORT_COLUMNS[name].map((column) => ({ ...column })),
          },
        },
      });
      table.addResourceDependency(this.database);
      tables[name] = table;
    }
    this.tables = tables;

    const exportsArn = `${names.bucketArn('system')}/${MODEL_EXPORT_PREFIX}`;
    props.dataAccessRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListModelHistoryExports',
        actions: ['s3:ListBucket'],
        resources: [names.bucketArn('system')],
        conditions: { StringLike: { 's3:prefix': [`${MODEL_EXPORT_PREFIX}/*`] } },
      }),
    );
    props.dataAccessRole.addToPolicy(new iam.PolicyStatement({ sid: 'ReadModelHistoryExports', actions: ['s3:GetObject'], resources: [`${exportsArn}/*`] }));
    acknowledgeNagFinding(props.dataAccessRole, `AwsSolutions-IAM5[Resource::${exportsArn}/*]`, 'The exports are one file per table under this prefix; Lake Formation vends reads of them only.');
    this.location = new lakeformation.CfnResource(this, 'Location', { resourceArn: exportsArn, roleArn: props.dataAccessRole.roleArn, useServiceLinkedRole: false, hybridAccessEnabled: false });
    this.location.addResourceDependency(props.settings);

    const grants: lakeformation.CfnPrincipalPermissions[] = [];
    const grant = (grantId: string, role: iam.IRole, resource: lakeformation.CfnPrincipalPermissions.ResourceProperty, permissions: readonly string[], after: glue.CfnDatabase | glue.CfnTable): void => {
      const permission = new lakeformation.CfnPrincipalPermissions(this, grantId, {
        catalog: account,
        principal: { dataLakePrincipalIdentifier: role.roleArn },
        resource,
        permissions: [...permissions],
        permissionsWithGrantOption: [],
      });
      permission.addResourceDependency(props.settings);
      permission.addResourceDependency(after);
      grants.push(permission);
    };
    for (const role of MODEL_HISTORY_READER_ROLES) {
      grant(`${role}-database`, props.humanRoles[role], { database: { catalogId: account, name: databaseName } }, ['DESCRIBE'], this.database);
      for (const name of MODEL_EXPORT_TABLES) {
        grant(`${role}-${name}`, props.humanRoles[role], { table: { catalogId: account, databaseName, name } }, ['SELECT', 'DESCRIBE'], tables[name]);
      }
    }
    this.grants = grants;
  }
}
