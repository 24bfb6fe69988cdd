import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { OrchestrationNames } from '../../src/config/pipeline-dag';
import { PlatformNames } from '../../src/config/platform-names';
import { loadStageConfig } from '../../src/config/stage-config';
import { MODEL_CODE_PREFIX, MODEL_CODE_SOURCE, ModelScoring, SCORING_JOB_VARIABLE } from '../../src/constructs/model-scoring';
import { MODEL_ARTEFACT_PREFIX } from '../../src/constructs/sagemaker-training';
import { acknowledgementsUnder, runAwsSolutions } from '../helpers/nag';

const names = new PlatformNames(loadStageConfig('dev'));
const orchestration = new OrchestrationNames(names);
const LAKE_KEY = `arn:aws:kms:${names.region}:${names.account}:key/00000000-0000-0000-0000-000000000000`;

let built: { app: App; stack: Stack; template: Template } | undefined;

/** One stack for the file: synthesis is the slow part on the shared machine. */
function build(): { app: App; stack: Stack; template: Template } {
  if (built) return built;
  const app = new App();
  const stack = new Stack(app, 'scoring', { env: { account: names.account, region: names.region } });
  new ModelScoring(stack, 'Scoring', { names, lakeKeyArn: LAKE_KEY, executionRoleName: orchestration.executionRoleName, variablesPrefix: orchestration.variablesPrefix });
  built = { app, stack, template: Template.fromStack(stack) };
  return built;
}

/** Every file under a folder, path relative to it, with its bytes; Python's caches left out. */
function filesUnder(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (name === '__pycache__' || name.endsWith('.pyc')) continue;
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(root, path), readFileSync(path).toString('base64'));
    }
  };
  walk(root);
  return files;
}

type Statement = { Sid: string; Action: string | string[]; Resource: string | string[] | Record<string, unknown>; Condition?: Record<string, Record<string, unknown>> };
type PolicyResource = { Properties: { PolicyName: string; Roles: unknown[]; PolicyDocument: { Statement: Statement[] } } };

function policies(template: Template): PolicyResource[] {
  return Object.values(template.findResources('AWS::IAM::Policy')) as PolicyResource[];
}

describe('Construct: ModelScoring', { timeout: 120_000 }, () => {
  it('lets the Processing jobs read only the features, the model artefacts and the scoring code, and write only model_tags', () => {
    // Prepare
    const { template } = build();
    const role = policies(template).find((p) => p.Properties.PolicyName.startsWith('ScoringRoleDefaultPolicy'));
    const statements = role?.Properties.PolicyDocument.Statement ?? [];
    const consumption = names.bucketArn('consumption');
    const system = names.bucketArn('system');

    // Assess
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'cur-dev-model-scoring',
      AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'sagemaker.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': names.account } } }] },
    });
    const objects = (sid: string): string[] => [statements.find((s) => s.Sid === sid)?.Resource].flat() as string[];
    expect(objects('ReadFeatures')).toEqual([`${consumption}/customer_features/*`]);
    expect(objects('WriteModelTags')).toEqual([`${consumption}/model_tags/*`]);
    expect(objects('ReadModelsAndCode')).toEqual([`${system}/${MODEL_ARTEFACT_PREFIX}*`, `${system}/${MODEL_CODE_PREFIX}*`]);
    const s3Resources = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:'))).flatMap((s) => [s.Resource].flat());
    for (const zone of ['landing', 'raw', 'transformed', 'mart'] as const) expect(JSON.stringify(s3Resources)).not.toContain(names.bucketArn(zone));
    expect(statements.filter((s) => [s.Action].flat().includes('s3:PutObject')).map((s) => s.Sid)).toEqual(['WriteModelTags']);
  });

  it('grants Lake Formation SELECT on customer_features and write on model_tags to the scoring role, and only DESCRIBE and INSERT on model_tags to the MWAA execution role', () => {
    // Prepare
    const { template } = build();

    // Act
    const grants = Object.values(template.findResources('AWS::LakeFormation::PrincipalPermissions')) as { Properties: { Principal: { DataLakePrincipalIdentifier: unknown }; Resource: { Table: { DatabaseName: string; Name: string } }; Permissions: string[] } }[];

    // Assess
    const executionRole = `arn:aws:iam::${names.account}:role/${orchestration.executionRoleName}`;
    const principal = (g: (typeof grants)[number]): string => (g.Properties.Principal.DataLakePrincipalIdentifier === executionRole ? 'mwaa' : 'scoring');
    expect(grants.map((g) => [principal(g), g.Properties.Resource.Table.DatabaseName, g.Properties.Resource.Table.Name, [...g.Properties.Permissions].sort()])).toEqual([
      ['scoring', names.glueDatabaseName('consumption'), 'customer_features', ['DESCRIBE', 'SELECT']],
      ['scoring', names.glueDatabaseName('consumption'), 'model_tags', ['ALTER', 'DESCRIBE', 'INSERT']],
      ['mwaa', names.glueDatabaseName('consumption'), 'model_tags', ['DESCRIBE', 'INSERT']],
    ]);
  });

  it("lets the MWAA execution role start only the DAG's network-isolated scoring jobs, pass only the scoring role, and read only the scoring pointer", () => {
    // Prepare
    const { template } = build();
    const launch = policies(template).find((p) => p.Properties.PolicyName === 'cur-dev-start-model-scoring');
    const statement = (sid: string): Statement | undefined => launch?.Properties.PolicyDocument.Statement.find((s) => s.Sid === sid);

    // Assess
    expect(launch?.Properties.Roles).toEqual([orchestration.executionRoleName]);
    expect(statement('StartScoringJobs')).toMatchObject({
      Action: 'sagemaker:CreateProcessingJob',
      Resource: `arn:aws:sagemaker:${names.region}:${names.account}:processing-job/cur-dev-score-*`,
      Condition: { Bool: { 'sagemaker:NetworkIsolation': 'true' }, StringEquals: { 'sagemaker:VolumeKmsKey': LAKE_KEY }, 'ForAllValues:StringEquals': { 'sagemaker:InstanceTypes': ['ml.m5.large'] } },
    });
    expect(statement('PassScoringRole')).toMatchObject({ Action: 'iam:PassRole', Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } } });
    expect(statement('EmptyModelTagsPartitions')).toMatchObject({ Action: 's3:DeleteObject', Resource: `${names.bucketArn('consumption')}/model_tags/*` });
    expect(launch?.Properties.PolicyDocument.Statement.filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')) && s.Sid !== 'ListModelTagsPartitions').map((s) => s.Sid)).toEqual(['EmptyModelTagsPartitions', 'ReadScoredPartitions', 'ReadFeaturesManifests', 'PublishModelTagsManifests']);
    expect(statement('ReadScoringPointer')).toMatchObject({ Action: 'dynamodb:GetItem', Resource: names.tableArn('model-history'), Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['scoring'] } } });
  });

  it("lets the MWAA execution role publish the job's partition as cur_model.publish does, and nothing more", () => {
    // Prepare
    const { template } = build();
    const launch = policies(template).find((p) => p.Properties.PolicyName === 'cur-dev-start-model-scoring');
    const statement = (sid: string): Statement | undefined => launch?.Properties.PolicyDocument.Statement.find((s) => s.Sid === sid);
    const system = names.bucketArn('system');
    const glue = `arn:aws:glue:${names.region}:${names.account}`;

    // Assess: read the job's files and the features' manifests, write model_tags' manifests only
    expect(statement('ReadScoredPartitions')).toMatchObject({ Action: 's3:GetObject', Resource: `${names.bucketArn('consumption')}/model_tags/*` });
    expect(statement('ReadFeaturesManifests')).toMatchObject({ Action: 's3:GetObject', Resource: `${system}/manifests/consumption/customer_features/*` });
    expect(statement('PublishModelTagsManifests')).toMatchObject({ Action: 's3:PutObject', Resource: `${system}/manifests/consumption/model_tags/*` });
    expect(statement('ManifestsUnderLakeKey')).toMatchObject({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: LAKE_KEY, Condition: { StringEquals: { 'kms:ViaService': `s3.${names.region}.amazonaws.com` } } });
    // Assess: the partition added to model_tags' table alone (publish's GetTable and CreatePartition)
    expect(statement('RegisterModelTagsPartitions')).toMatchObject({
      Action: ['glue:GetTable', 'glue:CreatePartition'],
      Resource: [`${glue}:catalog`, `${glue}:database/cur_dev_consumption`, `${glue}:table/cur_dev_consumption/model_tags`],
    });
    // Assess: then Layer Published on the platform bus only, from cur.platform, of that detail-type only
    expect(statement('PublishModelTagsLayer')).toMatchObject({
      Action: 'events:PutEvents',
      Resource: names.eventBusArn,
      Condition: { StringEquals: { 'events:source': ['cur.platform'], 'events:detail-type': ['Layer Published'] } },
    });
    expect(statement('CountUnpublishedLayers')).toMatchObject({ Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'CUR' } } });
    const events = launch?.Properties.PolicyDocument.Statement.filter((s) => [s.Action].flat().some((a) => a.startsWith('events:'))) ?? [];
    expect(events.map((s) => s.Sid)).toEqual(['PublishModelTagsLayer']);
  });

  it("writes the Airflow variable the DAG's score task reads, with every field it names", () => {
    // Prepare
    const { template } = build();

    // Act
    const [parameter] = Object.values(template.findResources('AWS::SSM::Parameter')) as { Properties: { Name: string; Value: unknown } }[];

    // Assess
    expect(parameter?.Properties.Name).toBe(`/cur-dev/airflow/variables/${SCORING_JOB_VARIABLE}`);
    const value = JSON.stringify(parameter?.Properties.Value);
    for (const field of ['roleArn', 'imageUri', 'kmsKeyArn', 'consumptionBucket', 'systemBucket', 'modelHistoryTable', 'eventBus']) expect(value).toContain(field);
    expect(value).toContain('\\"eventBus\\":\\"cur-dev\\"');
    expect(value).toContain('sagemaker-scikit-learn:1.4-2-cpu-py3');
    expect(value).toContain(names.tableName('model-history'));
  });

  it('deploys exactly the cur_model the tests import to system/model-history/code/, under the lake key, pruning the rest', () => {
    // Prepare
    const { app, stack, template } = build();
    const artifact = app.synth().getStackArtifact(stack.artifactId);

    // Act: the deployment's custom resource, and the asset folder CDK staged for it
    const [deployment] = Object.values(template.findResources('Custom::CDKBucketDeployment')) as { Properties: { SourceObjectKeys: string[] } }[];
    const hashes = (deployment?.Properties.SourceObjectKeys ?? []).map((key) => key.replace(/\.zip$/, ''));

    // Assess
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: names.bucketName('system'),
      DestinationBucketKeyPrefix: MODEL_CODE_PREFIX,
      Prune: true,
      RetainOnDelete: true,
      SystemMetadata: { sse: 'aws:kms', 'sse-kms-key-id': LAKE_KEY },
    });
    expect(hashes).toHaveLength(1);
    const staged = filesUnder(join(artifact.assembly.directory, `asset.${hashes[0] ?? ''}`));
    expect([...staged.keys()]).toContain(join('cur_model', 'score.py'));
    expect([...staged.keys()]).toContain(join('cur_model', 'score_manifest.json'));
    expect(staged).toEqual(filesUnder(MODEL_CODE_SOURCE));
    const handlerPolicy = policies(template).find((p) => p.Properties.PolicyDocument.Statement.some((s) => s.Sid === 'EncryptScoringCode'));
    expect(handlerPolicy?.Properties.PolicyDocument.Statement.find((s) => s.Sid === 'EncryptScoringCode')).toMatchObject({ Resource: LAKE_KEY, Action: expect.arrayContaining(['kms:GenerateDataKey', 'kms:Decrypt']) });
  });

  it('passes the AwsSolutions pack with every acknowledgement used', () => {
    // Prepare
    const { stack } = build();

    // Act
    const audit = runAwsSolutions(stack);

    // Assess
    expect(audit.findings).toEqual([]);
    const acknowledgements = acknowledgementsUnder(stack);
    expect(acknowledgements.map(({ path, id }) => `${path}|${id}`).filter((key) => !audit.usedAcknowledgements.has(key))).toEqual([]);
  });

  it('is in the stage as cur-<stage>-model-scoring, deployed after the platform and orchestration stacks', async () => {
    const { synthStage } = await import('../helpers/synth-stage');
    const synth = synthStage();
    try {
      const stack = synth.stage.modelScoring;
      expect(stack.stackName).toBe('cur-dev-model-scoring');
      expect(stack.dependencies.map((d) => d.stackName).sort()).toEqual(['cur-dev-orchestration', 'cur-dev-platform']);
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { RoleName: 'cur-dev-model-scoring' });
      expect(runAwsSolutions(stack).findings).toEqual([]);
    } finally {
      synth.dispose();
    }
  }, 240_000);
});
