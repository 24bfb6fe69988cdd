import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MODEL_EXPORT_TABLES } from '@cur/model-registry';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_EXPORT_COLUMNS } from '../../src/constructs/model-history-catalog';
import type { SynthesizedStage } from '../helpers/synth-stage';
import { synthStage } from '../helpers/synth-stage';
import type { StatementJson } from '../helpers/template-queries';
import { actionsOf, props, resourcesOf, resourcesOfType } from '../helpers/template-queries';

const SYSTEM = 'cur-dev-system';

/** Every Allow statement of a stack's policies whose role name matches. */
function allowStatements(synth: SynthesizedStage, stack: 'platform' | 'model-history'): StatementJson[] {
  return Object.values(resourcesOfType(synth.template(stack), 'AWS::IAM::Policy'))
    .flatMap((policy) => props<{ PolicyDocument: { Statement: StatementJson[] } }>(policy).PolicyDocument.Statement)
    .filter((statement) => statement.Effect === 'Allow');
}

/** The resources of every statement granting an action, as plain strings. */
function resourcesGranting(statements: readonly StatementJson[], action: string): string[] {
  return statements.filter((statement) => actionsOf(statement).includes(action)).flatMap((statement) => resourcesOf(statement).map((resource) => (typeof resource === 'string' ? resource : JSON.stringify(resource))));
}

describe('Construct: ModelHistoryCatalog (the model history exports in Glue and Lake Formation)', () => {
  let synth: SynthesizedStage;
  beforeAll(() => {
    synth = synthStage();
  }, 180_000);
  afterAll(() => synth.dispose());

  it('catalogues both exports as unpartitioned Parquet tables over their folders in the system bucket, in cur_dev_model_history', () => {
    const template = synth.template('platform');
    template.hasResourceProperties('AWS::Glue::Database', {
      DatabaseInput: { Name: 'cur_dev_model_history', LocationUri: `s3://${SYSTEM}/model-history/exports/`, CreateTableDefaultPermissions: [] },
    });
    const tables = Object.values(resourcesOfType(template, 'AWS::Glue::Table'))
      .map((table) => props<{ DatabaseName: string; TableInput: { Name: string; PartitionKeys?: unknown[]; StorageDescriptor: { Location: string; InputFormat: string; Columns: { Name: string; Type: string }[] } } }>(table))
      .filter((table) => table.DatabaseName === 'cur_dev_model_history');
    expect(tables.map((t) => t.TableInput.Name).sort()).toEqual([...MODEL_EXPORT_TABLES].sort());
    for (const table of tables) {
      const name = table.TableInput.Name as (typeof MODEL_EXPORT_TABLES)[number];
      // The folder the Lambda and the CLI put part-0.parquet in (libs/model-registry modelExportKey).
      expect(table.TableInput.StorageDescriptor.Location).toBe(`s3://${SYSTEM}/model-history/exports/${name}/`);
      expect(table.TableInput.StorageDescriptor.InputFormat).toBe('org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat');
      expect(table.TableInput.PartitionKeys ?? []).toEqual([]);
      expect(table.TableInput.StorageDescriptor.Columns.map((c) => [c.Name, c.Type])).toEqual(MODEL_EXPORT_COLUMNS[name].map((c) => [c.name, c.type]));
    }
    // The columns the export's SELECTs write, in their order (libs/model-registry holds DuckDB's types of them).
    expect(MODEL_EXPORT_COLUMNS.model_history.map((c) => c.name)).toEqual(['version_id', 'target_tag', 'status', 'created_at', 'metric', 'value']);
    expect(MODEL_EXPORT_COLUMNS.model_score_distributions.map((c) => c.name)).toEqual(['version_id', 'bin', 'lower', 'upper', 'holdout_count']);
  });

  it('registers only the exports prefix with Lake Formation, through the data access role, which may read it and nothing more of the system bucket', () => {
    const template = synth.template('platform');
    template.hasResourceProperties('AWS::LakeFormation::Resource', { ResourceArn: `arn:aws:s3:::${SYSTEM}/model-history/exports`, UseServiceLinkedRole: false });
    const registered = Object.values(resourcesOfType(template, 'AWS::LakeFormation::Resource')).map((r) => String(props(r)['ResourceArn']));
    expect(registered.filter((arn) => arn.includes(SYSTEM))).toEqual([`arn:aws:s3:::${SYSTEM}/model-history/exports`]);
    const statements = allowStatements(synth, 'platform');
    const dataAccess = statements.filter((s) => s.Sid === 'ListModelHistoryExports' || s.Sid === 'ReadModelHistoryExports');
    expect(dataAccess.map((s) => [s.Sid, actionsOf(s), resourcesOf(s)])).toEqual([
      ['ListModelHistoryExports', ['s3:ListBucket'], [`arn:aws:s3:::${SYSTEM}`]],
      ['ReadModelHistoryExports', ['s3:GetObject'], [`arn:aws:s3:::${SYSTEM}/model-history/exports/*`]],
    ]);
    expect(dataAccess[0]?.Condition).toEqual({ StringLike: { 's3:prefix': ['model-history/exports/*'] } });
  });

  it('lets DS and DA describe the database and select both tables by name, and no other role', () => {
    const template = synth.template('platform');
    // The principals are the roles' Fn::GetAtt Arn: resolved to the roles' names.
    const roleNames = new Map(Object.entries(resourcesOfType(template, 'AWS::IAM::Role')).map(([id, role]) => [id, String(props(role)['RoleName'])]));
    const roleOf = (principal: unknown): string => roleNames.get((principal as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt']?.[0] ?? '') ?? JSON.stringify(principal);
    const grants = Object.values(resourcesOfType(template, 'AWS::LakeFormation::PrincipalPermissions'))
      .map((g) => props<{ Principal: { DataLakePrincipalIdentifier: unknown }; Resource: { Database?: { Name: string }; Table?: { DatabaseName: string; Name: string } }; Permissions: string[]; PermissionsWithGrantOption: string[] }>(g))
      .filter((g) => g.Resource.Database?.Name === 'cur_dev_model_history' || g.Resource.Table?.DatabaseName === 'cur_dev_model_history');
    const granted = grants.map((g) => `${roleOf(g.Principal.DataLakePrincipalIdentifier)} ${g.Resource.Table?.Name ?? 'database'} ${g.Permissions.join('+')}`).sort();
    expect(granted).toEqual([
      'cur-dev-da database DESCRIBE',
      'cur-dev-da model_history SELECT+DESCRIBE',
      'cur-dev-da model_score_distributions SELECT+DESCRIBE',
      'cur-dev-ds database DESCRIBE',
      'cur-dev-ds model_history SELECT+DESCRIBE',
      'cur-dev-ds model_score_distributions SELECT+DESCRIBE',
    ]);
    expect(grants.every((g) => g.PermissionsWithGrantOption.length === 0)).toBe(true);
  });
});

describe('Stack: AppStack of model-history (the exports it writes)', () => {
  let synth: SynthesizedStage;
  beforeAll(() => {
    synth = synthStage();
  }, 180_000);
  afterAll(() => synth.dispose());

  it('runs the bundle with its DuckDB addon on x86_64 with 1024 MB', () => {
    synth.template('model-history').hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'cur-dev-model-history', Runtime: 'nodejs22.x', Architectures: ['x86_64'], MemorySize: 1024, TracingConfig: Match.objectLike({ Mode: 'Active' }) });
    const bundleDir = synth.stage.apps['model-history'].service.bundleDir;
    expect(existsSync(join(bundleDir, 'node_modules', '@duckdb', 'node-bindings-linux-x64', 'duckdb.node'))).toBe(true);
  });

  it("reads only the model archives' objects and puts only the exports: no list, no delete, no other object", () => {
    const statements = allowStatements(synth, 'model-history');
    expect(resourcesGranting(statements, 's3:GetObject')).toEqual([`arn:aws:s3:::${SYSTEM}/model-history/artefacts/*/output/model.tar.gz`]);
    expect(resourcesGranting(statements, 's3:PutObject')).toEqual([`arn:aws:s3:::${SYSTEM}/model-history/exports/*`]);
    expect(resourcesGranting(statements, 's3:DeleteObject')).toEqual([]);
    expect(resourcesGranting(statements, 's3:ListBucket')).toEqual([]);
    expect(statements.flatMap((s) => actionsOf(s)).filter((a) => /^(glue|lakeformation|sns|events):/.test(a))).toEqual([]);
  });
});
