import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RULESETS } from '@cur/dq';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GLUE_PLANS_DIR, SPARK_RUNNER_ROOT, readGluePlanStepAccess, readRunnerDependencies } from '../../src/config/glue-jobs';
import { loadStageConfig, parseStageConfig } from '../../src/config/stage-config';
import { DQ_RULESETS_DIR } from '../../src/constructs/data-quality-rulesets';
import type { SynthesizedStage } from '../helpers/synth-stage';
import { logicalIdOf, synthStage } from '../helpers/synth-stage';
import type { CfnResourceJson, StatementJson } from '../helpers/template-queries';
import { actionsOf, props, resourcesOf, resourcesOfType } from '../helpers/template-queries';

interface JobProps {
  Name: string;
  Role: unknown;
  GlueVersion: string;
  WorkerType: string;
  NumberOfWorkers: number;
  Timeout: number;
  MaxRetries: number;
  SecurityConfiguration: string;
  ExecutionProperty: { MaxConcurrentRuns: number };
  Command: { Name: string; PythonVersion: string; ScriptLocation: string };
  DefaultArguments: Record<string, string>;
}

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();

describe('Stack: PipelineStack (Glue jobs and Data Quality rulesets)', () => {
  let synth: SynthesizedStage;
  let template: Template;
  let jobs: Record<string, JobProps>;
  let statementsOfRole: (roleLogicalId: string) => StatementJson[];
  let policies: { PolicyDocument: { Statement: StatementJson[] }; Roles: unknown[] }[];
  beforeAll(() => {
    synth = synthStage();
    template = Template.fromStack(synth.stage.pipeline);
    jobs = Object.fromEntries(Object.values(resourcesOfType(template, 'AWS::Glue::Job')).map((job) => [props<JobProps>(job).Name, props<JobProps>(job)]));
    policies = Object.values(resourcesOfType(template, 'AWS::IAM::Policy')).map((policy) => props<{ PolicyDocument: { Statement: StatementJson[] }; Roles: unknown[] }>(policy));
    statementsOfRole = (roleLogicalId) =>
      policies.filter((policy) => JSON.stringify(policy.Roles).includes(`"${roleLogicalId}"`)).flatMap((policy) => policy.PolicyDocument.Statement);
  });
  afterAll(() => synth.dispose());

  it('has one Glue 5.1 job per step kind, named as the MWAA DAG starts them', () => {
    expect(Object.keys(jobs).sort()).toEqual(['cur-dev-consumption', 'cur-dev-mart', 'cur-dev-mask', 'cur-dev-transform']);
    for (const job of Object.values(jobs)) {
      expect(job.GlueVersion).toBe('5.1');
      expect(job.Command).toMatchObject({ Name: 'glueetl', PythonVersion: '3' });
      expect(job.MaxRetries).toBe(0);
      expect(job.SecurityConfiguration).toBe('cur-dev-pipeline-jobs');
    }
    expect(Object.fromEntries(Object.entries(jobs).map(([name, job]) => [name, job.ExecutionProperty.MaxConcurrentRuns]))).toEqual({
      'cur-dev-mask': 4,
      'cur-dev-transform': 4,
      'cur-dev-consumption': 1,
      'cur-dev-mart': 1,
    });
  });

  it('passes each template-run job its step, the stage buckets and the catalog; the run passes dataset and date', () => {
    for (const step of ['transform', 'consumption', 'mart']) {
      expect(jobs[`cur-dev-${step}`]?.DefaultArguments).toMatchObject({
        '--step': step,
        '--bucket_raw': 's3://cur-dev-raw',
        '--bucket_transformed': 's3://cur-dev-transformed',
        '--bucket_consumption': 's3://cur-dev-consumption',
        '--bucket_mart': 's3://cur-dev-mart',
        '--bucket_system': 's3://cur-dev-system',
        '--database_prefix': 'cur_dev',
        '--enable-glue-datacatalog': 'true',
      });
      expect(Object.keys(jobs[`cur-dev-${step}`]?.DefaultArguments ?? {})).not.toContain('--business-date');
    }
    expect(Object.keys(jobs['cur-dev-mask']?.DefaultArguments ?? {})).not.toContain('--step');
  });

  it('passes the mask job what it builds its request from: landing and raw buckets, the key service’s function URL and the region it signs for', () => {
    const args = jobs['cur-dev-mask']?.DefaultArguments ?? {};
    expect(args).toMatchObject({ '--bucket_landing': 's3://cur-dev-landing', '--bucket_raw': 's3://cur-dev-raw', '--bucket_system': 's3://cur-dev-system', '--key_service_region': 'ap-northeast-1' });
    // The URL the masking-key-service's stack publishes, read from SSM when this stack deploys
    const parameter = Object.entries(template.toJSON().Parameters as Record<string, { Default?: string }>).find(([, p]) => p.Default === '/cur-dev/function-urls/masking-key-service/url');
    expect(parameter).toBeDefined();
    expect(args['--key_service_url']).toEqual({ Ref: parameter?.[0] });
    expect(Object.keys(args)).not.toContain('--key_service_token_env');
    expect(synth.stage.pipeline.dependencies).toContain(synth.stage.apps['masking-key-service']);
  });

  it('lets every job put its rows per step in CloudWatch, in the namespace cur_spark publishes in only, in the stage’s region', () => {
    // Prepare
    const namespace = (JSON.parse(readFileSync(join(SPARK_RUNNER_ROOT, 'src', 'cur_spark', 'step_metric.json'), 'utf8')) as { namespace: string }).namespace;
    const { roles, maskPolicy } = synth.stage.pipeline.jobs;
    const mask = props<{ PolicyDocument: { Statement: StatementJson[] } }>(template.toJSON().Resources[synth.stage.pipeline.getLogicalId(maskPolicy.node.defaultChild as never)] as CfnResourceJson);
    const statementSets = [mask.PolicyDocument.Statement, ...(['transform', 'consumption', 'mart'] as const).map((step) => statementsOfRole(logicalIdOf(roles[step])))];

    // Assess
    expect(namespace).toBe('CUR');
    for (const statements of statementSets) {
      expect(statements.filter((s) => actionsOf(s).includes('cloudwatch:PutMetricData'))).toEqual([
        { Sid: 'PublishStepMetrics', Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': namespace } } },
      ]);
      expect(statements.flatMap(actionsOf).filter((action) => action.startsWith('cloudwatch:'))).toEqual(['cloudwatch:PutMetricData']);
    }
    for (const job of Object.values(jobs)) expect(job.DefaultArguments['--metrics_region']).toBe('ap-northeast-1');
  });

  it('lets the consumption and mart jobs, and no other, put Layer Published from cur.platform on the platform bus only', () => {
    // Prepare
    const { roles, maskPolicy } = synth.stage.pipeline.jobs;
    const mask = props<{ PolicyDocument: { Statement: StatementJson[] } }>(template.toJSON().Resources[synth.stage.pipeline.getLogicalId(maskPolicy.node.defaultChild as never)] as CfnResourceJson);
    const events = (statements: StatementJson[]): StatementJson[] => statements.filter((s) => actionsOf(s).some((action) => action.startsWith('events:')));

    // Assess: exactly one statement each, on the bus, for that source and detail-type
    for (const step of ['consumption', 'mart'] as const) {
      expect(events(statementsOfRole(logicalIdOf(roles[step])))).toEqual([
        {
          Sid: 'PublishLayerEvents',
          Effect: 'Allow',
          Action: 'events:PutEvents',
          Resource: 'arn:aws:events:ap-northeast-1:123456789012:event-bus/cur-dev',
          Condition: { StringEquals: { 'events:source': ['cur.platform'], 'events:detail-type': ['Layer Published'] } },
        },
      ]);
    }
    expect(events(statementsOfRole(logicalIdOf(roles.transform)))).toEqual([]);
    expect(events(mask.PolicyDocument.Statement)).toEqual([]);
    // Assess: the bus in the two jobs' arguments (cur_spark.jobs.glue_entry's --event_bus), in no other job's
    const withBus = Object.entries(jobs).filter(([, job]) => '--event_bus' in job.DefaultArguments);
    expect(withBus.map(([, job]) => job.DefaultArguments['--event_bus'])).toEqual(['cur-dev', 'cur-dev']);
    expect(withBus.map(([, job]) => job.DefaultArguments['--step']).sort()).toEqual(['consumption', 'mart']);
  });

  it('logs continuously with Glue’s filter, keeps bookmarks and the Spark UI off, and ships the runner and its exact pins', () => {
    const runner = synth.stage.pipeline.jobs.runner;
    for (const job of Object.values(jobs)) {
      expect(job.DefaultArguments).toMatchObject({
        '--job-bookmark-option': 'job-bookmark-disable',
        '--enable-continuous-cloudwatch-log': 'true',
        '--enable-continuous-log-filter': 'true',
        '--enable-spark-ui': 'false',
        '--extra-py-files': `s3://cdk-hnb659fds-assets-123456789012-ap-northeast-1/${runner.s3ObjectKey}`,
        '--additional-python-modules': readRunnerDependencies().join(','),
      });
    }
    expect(readRunnerDependencies()).toEqual(['pydantic==2.14.4']);
  });

  it('takes worker type, workers per step and timeout from the stage config', () => {
    // Prepare
    const config = parseStageConfig({ ...JSON.parse(readFileSync(join(__dirname, '../../config/dev.json'), 'utf8')), glue: { workerType: 'G.2X', workers: { transform: 10 }, timeoutMinutes: 120 } });
    const other = synthStage({ config });

    // Act
    const otherJobs = Object.values(resourcesOfType(Template.fromStack(other.stage.pipeline), 'AWS::Glue::Job')).map((job) => props<JobProps>(job));
    other.dispose();

    // Assess
    expect(otherJobs.map((job) => [job.Name, job.WorkerType, job.NumberOfWorkers, job.Timeout]).sort()).toEqual([
      ['cur-dev-consumption', 'G.2X', 2, 120],
      ['cur-dev-mart', 'G.2X', 2, 120],
      ['cur-dev-mask', 'G.2X', 2, 120],
      ['cur-dev-transform', 'G.2X', 10, 120],
    ]);
    expect(Object.values(jobs).map((job) => [job.WorkerType, job.NumberOfWorkers, job.Timeout])).toEqual(Array(4).fill(['G.1X', 2, 60]));
    expect(loadStageConfig('dev').glue).toEqual({ workerType: 'G.1X', workers: {}, timeoutMinutes: 60 });
  });

  it('uploads one runner archive: cur_spark with the committed plan templates in cur_spark/glue_plans, no bytecode', () => {
    // Prepare
    const runner = synth.stage.pipeline.jobs.runner;
    // Assets are staged (bundled) when constructed: no need to synthesize the whole stage.
    const staged = join(synth.stage.outdir, runner.assetPath);

    // Act
    const files = filesUnder(staged);

    // Assess
    expect(files).toContain('cur_spark/jobs/glue_entry.py');
    expect(files).toContain('cur_spark/jobs/mask.py');
    const templates = files.filter((file) => file.startsWith('cur_spark/glue_plans/')).map((file) => file.slice('cur_spark/glue_plans/'.length));
    expect(templates).toEqual(filesUnder(GLUE_PLANS_DIR));
    for (const file of templates) expect(readFileSync(join(staged, 'cur_spark/glue_plans', file), 'utf8')).toBe(readFileSync(join(GLUE_PLANS_DIR, file), 'utf8'));
    expect(files.filter((file) => file.includes('__pycache__') || file.endsWith('.pyc'))).toEqual([]);
    expect(existsSync(join(SPARK_RUNNER_ROOT, 'src', 'cur_spark', 'glue_plans'))).toBe(false);
  });

  it('runs mask as SYSTEM, with the key service and its code added; the other jobs as their own roles', () => {
    const { jobs: glueJobs, roles, maskPolicy } = { ...synth.stage.pipeline.jobs };
    expect(jobs['cur-dev-mask']?.Role).toBe('arn:aws:iam::123456789012:role/cur-dev-system-pipeline');
    for (const step of ['transform', 'consumption', 'mart'] as const) {
      expect(jobs[`cur-dev-${step}`]?.Role).toEqual({ 'Fn::GetAtt': [logicalIdOf(roles[step]), 'Arn'] });
    }
    const mask = props<{ Roles: unknown[]; PolicyDocument: { Statement: StatementJson[] } }>(template.toJSON().Resources[synth.stage.pipeline.getLogicalId(maskPolicy.node.defaultChild as never)] as CfnResourceJson);
    expect(mask.Roles).toEqual(['cur-dev-system-pipeline']);
    // The key service only through its IAM-authorised URL, on that one function: no InvokeFunction (an event of its own making)
    expect(mask.PolicyDocument.Statement.find((s) => s.Sid === 'CallKeyServiceUrl')).toEqual({
      Sid: 'CallKeyServiceUrl',
      Effect: 'Allow',
      Action: 'lambda:InvokeFunctionUrl',
      Resource: 'arn:aws:lambda:ap-northeast-1:123456789012:function:cur-dev-masking-key-service',
      Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } },
    });
    expect(mask.PolicyDocument.Statement.flatMap(actionsOf).filter((action) => action.startsWith('lambda:'))).toEqual(['lambda:InvokeFunctionUrl']);
    const lambdaActions = policies.filter((p) => JSON.stringify(p.Roles) !== JSON.stringify(['cur-dev-system-pipeline'])).flatMap((p) => p.PolicyDocument.Statement.flatMap(actionsOf)).filter((action) => action.startsWith('lambda:'));
    expect(lambdaActions).toEqual([]);
    expect(Object.keys(glueJobs)).toHaveLength(4);
  });

  it('lets the mask job end as the local step: delete landing files under incoming/ and move a ledger batch item by UpdateItem, nothing more', () => {
    // Prepare
    const { roles, maskPolicy } = synth.stage.pipeline.jobs;
    const mask = props<{ PolicyDocument: { Statement: StatementJson[] } }>(template.toJSON().Resources[synth.stage.pipeline.getLogicalId(maskPolicy.node.defaultChild as never)] as CfnResourceJson);
    const bySid = (sid: string): StatementJson | undefined => mask.PolicyDocument.Statement.find((s) => s.Sid === sid);

    // Assess: the job's argument names the ledger's physical table, the grants are that table and landing's incoming/
    expect(jobs['cur-dev-mask']?.DefaultArguments['--ledger_table']).toBe('cur-dev-batch-ledger');
    expect(bySid('DeleteMaskedLandingFiles')).toEqual({ Sid: 'DeleteMaskedLandingFiles', Effect: 'Allow', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::cur-dev-landing/incoming/*' });
    expect(bySid('MarkBatchMasked')).toEqual({
      Sid: 'MarkBatchMasked',
      Effect: 'Allow',
      Action: 'dynamodb:UpdateItem',
      Resource: 'arn:aws:dynamodb:ap-northeast-1:123456789012:table/cur-dev-batch-ledger',
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['batch#*'] } },
    });
    expect(mask.PolicyDocument.Statement.flatMap(actionsOf).filter((action) => action.startsWith('dynamodb:'))).toEqual(['dynamodb:UpdateItem']);
    // The masked-zone jobs get neither the ledger nor landing
    for (const step of ['transform', 'consumption', 'mart'] as const) {
      const statements = statementsOfRole(logicalIdOf(roles[step]));
      expect(statements.flatMap(actionsOf).filter((action) => action.startsWith('dynamodb:'))).toEqual([]);
      expect(JSON.stringify(statements)).not.toMatch(/cur-dev-landing|batch-ledger/);
    }
    for (const step of ['transform', 'consumption', 'mart'] as const) expect(Object.keys(jobs[`cur-dev-${step}`]?.DefaultArguments ?? {})).not.toContain('--ledger_table');
  });

  it.each(['transform', 'consumption', 'mart'] as const)('gives the %s role only its templates’ dataset folders, the lake key and its partitions: no landing, no SYSTEM key, no wildcard action', (step) => {
    // Prepare
    const access = readGluePlanStepAccess()[step];
    const statements = statementsOfRole(logicalIdOf(synth.stage.pipeline.jobs.roles[step]));
    const bySid = (sid: string): StatementJson | undefined => statements.find((s) => s.Sid === sid);

    // Assess
    expect(statements.flatMap(actionsOf).filter((action) => action.endsWith(':*') || action === '*' || action.startsWith('lambda:'))).toEqual([]);
    const manifestSids = ['ListManifestFolders', 'ReadInputManifests', 'PublishManifests'];
    expect(JSON.stringify(statements.filter((s) => !manifestSids.includes(String(s.Sid))))).not.toMatch(/cur-dev-(landing|quarantine|system)\b/);
    // The system bucket: only the manifest folders of its inputs (read) and outputs (published)
    expect(resourcesOf(bySid('ReadInputManifests') as StatementJson).sort()).toEqual(access.manifests.reads.map((prefix) => `arn:aws:s3:::cur-dev-system/${prefix}*`).sort());
    expect(resourcesOf(bySid('PublishManifests') as StatementJson).sort()).toEqual(access.manifests.writes.map((prefix) => `arn:aws:s3:::cur-dev-system/${prefix}*`).sort());
    expect(actionsOf(bySid('PublishManifests') as StatementJson).sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    expect([...access.manifests.reads, ...access.manifests.writes].every((prefix) => /^manifests\/[a-z]+\/[a-z_]+(\/[a-z_]+)?\/$/.test(prefix))).toBe(true);
    expect(resourcesOf(bySid('ReadSourceFolders') as StatementJson).sort()).toEqual(access.reads.map(({ zone, prefix }) => `arn:aws:s3:::cur-dev-${zone}/${prefix}*`).sort());
    expect(resourcesOf(bySid('WriteOutputFolders') as StatementJson).sort()).toEqual(access.writes.map(({ zone, prefix }) => `arn:aws:s3:::cur-dev-${zone}/${prefix}*`).sort());
    expect(access.writes.map(({ zone }) => zone).every((zone) => zone === { transform: 'transformed', consumption: 'consumption', mart: 'mart' }[step])).toBe(true);
    expect(JSON.stringify(bySid('UseLakeKey')?.Resource)).toMatch(/^\{"Ref":"SsmParameterValuecurdevkmslakekeyarn/);
    expect(resourcesOf(bySid('RegisterPartitions') as StatementJson).filter((arn) => String(arn).includes(':table/')).sort()).toEqual(
      access.partitions.map(({ zone, table }) => `arn:aws:glue:ap-northeast-1:123456789012:table/cur_dev_${zone}/${table}`).sort(),
    );
  });

  it('derives the transform’s folders from its templates: the rejects’ source-dataset partitions, the raw manifests it accounts from, the manifests it publishes', () => {
    const transform = readGluePlanStepAccess().transform;
    const sources = ['account_balance', 'card_transaction', 'customer_profile', 'digital_activity'];
    expect(transform.writes.map(({ zone, prefix }) => `${zone}/${prefix}`).sort()).toEqual([...sources.map((d) => `transformed/${d}/`), ...sources.map((d) => `transformed/transform_rejects/source_dataset=${d}/`)].sort());
    expect(transform.partitions.filter(({ table }) => table === 'transform_rejects')).toEqual([{ zone: 'transformed', table: 'transform_rejects' }]);
    expect(transform.manifests).toEqual({
      reads: sources.map((d) => `manifests/raw/${d}/`),
      writes: [...sources.map((d) => `manifests/transformed/${d}/`), ...sources.map((d) => `manifests/transformed/transform_rejects/${d}/`)].sort(),
    });
  });

  it('grants each job role ALTER, INSERT and DESCRIBE on exactly the tables it registers partitions of, and nothing on landing', () => {
    const grants = Object.values(resourcesOfType(template, 'AWS::LakeFormation::PrincipalPermissions')).map((grant) =>
      props<{ Principal: { DataLakePrincipalIdentifier: unknown }; Resource: { Table: { DatabaseName: string; Name: string } }; Permissions: string[] }>(grant),
    );
    const access = readGluePlanStepAccess();
    for (const step of ['transform', 'consumption', 'mart'] as const) {
      const mine = grants.filter((grant) => JSON.stringify(grant.Principal).includes(logicalIdOf(synth.stage.pipeline.jobs.roles[step])));
      expect(mine.map((grant) => `${grant.Resource.Table.DatabaseName}.${grant.Resource.Table.Name}`)).toEqual(access[step].partitions.map(({ zone, table }) => `cur_dev_${zone}.${table}`));
      for (const grant of mine) expect(grant.Permissions).toEqual(['ALTER', 'INSERT', 'DESCRIBE']);
    }
    expect(grants.filter((grant) => grant.Resource.Table.DatabaseName === 'cur_dev_landing')).toEqual([]);
  });

  it('encrypts what the jobs write under the lake key, and their logs and bookmarks under a rotated key only Glue’s log groups may use', () => {
    const configuration = props<{ EncryptionConfiguration: Record<string, unknown> }>(Object.values(resourcesOfType(template, 'AWS::Glue::SecurityConfiguration'))[0] as CfnResourceJson);
    const logsKey = logicalIdOf(synth.stage.pipeline.security.logsKey);
    expect(configuration.EncryptionConfiguration).toEqual({
      S3Encryptions: [{ S3EncryptionMode: 'SSE-KMS', KmsKeyArn: expect.objectContaining({ Ref: expect.stringMatching(/^SsmParameterValuecurdevkmslakekeyarn/) }) }],
      CloudWatchEncryption: { CloudWatchEncryptionMode: 'SSE-KMS', KmsKeyArn: { 'Fn::GetAtt': [logsKey, 'Arn'] } },
      JobBookmarksEncryption: { JobBookmarksEncryptionMode: 'CSE-KMS', KmsKeyArn: { 'Fn::GetAtt': [logsKey, 'Arn'] } },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const keyStatements = props<{ KeyPolicy: { Statement: StatementJson[] } }>(template.toJSON().Resources[logsKey] as CfnResourceJson).KeyPolicy.Statement;
    expect(keyStatements.find((s) => s.Sid === 'CloudWatchLogsEncryptsGlueLogGroups')?.Condition).toEqual({
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:ap-northeast-1:123456789012:log-group:/aws-glue/*' },
    });
  });

  it('creates one Data Quality ruleset per shipped .dqdl file, named as the DAG’s gates name them, on the zone’s table', () => {
    const rulesets = Object.values(resourcesOfType(template, 'AWS::Glue::DataQualityRuleset')).map((r) => props<{ Name: string; Ruleset: string; TargetTable: { DatabaseName: string; TableName: string } }>(r));
    expect(rulesets.map((r) => r.Name).sort()).toEqual(RULESETS.map(({ dataset, zone }) => `${dataset}_${zone}`).sort());
    for (const { dataset, zone } of RULESETS) {
      expect(rulesets.find((r) => r.Name === `${dataset}_${zone}`)).toEqual(
        expect.objectContaining({ Ruleset: readFileSync(join(DQ_RULESETS_DIR, `${dataset}.${zone}.dqdl`), 'utf8'), TargetTable: { DatabaseName: `cur_dev_${zone}`, TableName: dataset } }),
      );
    }
  });

  it('lets evaluations read the target and referenced tables only, and publishes the role for the DAG', () => {
    const dq = synth.stage.pipeline.dataQuality;
    expect(dq.rulesets.find((r) => r.name === 'customer_features_consumption')?.references).toEqual([{ zone: 'transformed', table: 'customer_profile' }]);
    expect(dq.rulesets.find((r) => r.name === 'customer_tags_consumption')?.references).toEqual([{ zone: 'consumption', table: 'customer_features' }]);
    const statements = statementsOfRole(logicalIdOf(dq.role));
    const dataStatements = statements.filter((s) => s.Sid !== 'UseLogsKey');
    expect(dataStatements.flatMap(actionsOf).filter((action) => /^(s3:(Put|Delete)|glue:(Create|Update|Delete|Batch(Create|Delete))|kms:(Encrypt|GenerateDataKey))/.test(action))).toEqual([]);
    expect(statements.find((s) => s.Sid === 'UseLogsKey')?.Resource).toEqual({ 'Fn::GetAtt': [logicalIdOf(synth.stage.pipeline.security.logsKey), 'Arn'] });
    expect(JSON.stringify(statements)).not.toMatch(/cur-dev-(landing|quarantine)\b|cur_dev_landing/);
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/cur-dev/airflow/variables/cur_glue_dq_role_arn', Value: { 'Fn::GetAtt': [logicalIdOf(dq.role), 'Arn'] } });
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'cur-dev-glue-dq' });
  });
});
