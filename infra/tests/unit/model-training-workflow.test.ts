import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMaskingPolicy } from '@cur/policy';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChannelTemplate, readMetricDefinitions, MODEL_TRAINING_ROOT } from '../../src/config/model-training';
import { WORKSPACE_ROOT } from '../../src/config/paths';
import { PlatformNames } from '../../src/config/platform-names';
import { loadStageConfig } from '../../src/config/stage-config';
import { HUMAN_READABLE_SENSITIVITIES } from '../../src/constructs/lake-governance';
import { ModelTrainingWorkflow, TRAINING_ENTRY_POINT } from '../../src/constructs/model-training-workflow';
import { SageMakerTraining } from '../../src/constructs/sagemaker-training';
import { acknowledgementsUnder, runAwsSolutions } from '../helpers/nag';
import type { StatementJson } from '../helpers/template-queries';
import { actionsOf, props, resourcesOfType } from '../helpers/template-queries';

const names = new PlatformNames(loadStageConfig('dev'));
const LAKE_KEY = `arn:aws:kms:${names.region}:${names.account}:key/00000000-0000-0000-0000-000000000000`;
const JOB = 'cur-dev-train-digital-native-20261207-050000-a1b2';

type State = Record<string, unknown> & { Type: string; Next?: string; End?: boolean; Parameters?: Record<string, unknown> };
interface Asl {
  readonly StartAt: string;
  readonly States: Record<string, State>;
}

let outdir: string;
let stack: Stack;
let workflow: ModelTrainingWorkflow;
let template: Template;
let asl: Asl;

/** The definition as deployed: Fn::Join's parts, each reference shown as `<Ref:LogicalId>` or `<GetAtt:LogicalId>`. */
function deployedDefinition(): Asl {
  const [machine] = Object.values(resourcesOfType(template, 'AWS::StepFunctions::StateMachine'));
  if (!machine) throw new Error('no state machine in the template');
  const body = props<{ DefinitionString: unknown }>(machine).DefinitionString;
  const part = (value: unknown): string => {
    if (typeof value === 'string') return value;
    const ref = value as { Ref?: string; 'Fn::GetAtt'?: string[] };
    return ref.Ref !== undefined ? `<Ref:${ref.Ref}>` : `<GetAtt:${ref['Fn::GetAtt']?.[0]}>`;
  };
  const joined = typeof body === 'string' ? body : ((body as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].map(part).join(''));
  return JSON.parse(joined) as Asl;
}

/** `States.Format` as Step Functions evaluates it: `\'`, `\{`, `\}`, `\\` are literal, each `{}` takes the next argument. */
function statesFormat(call: string, values: Readonly<Record<string, string>>): string {
  const match = /^States\.Format\('((?:[^'\\]|\\.)*)'((?:, [^,)]+)*)\)$/.exec(call);
  if (!match) throw new Error(`not a States.Format call: ${call}`);
  const args = (match[2] ?? '').split(', ').slice(1).map((path) => {
    const value = values[path];
    if (value === undefined) throw new Error(`no value for ${path}`);
    return value;
  });
  let out = '';
  const text = match[1] ?? '';
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === '\\') out += text[(i += 1)];
    else if (c === '{' && text[i + 1] === '}') {
      out += args.shift();
      i += 1;
    } else out += c;
  }
  if (args.length > 0) throw new Error('more arguments than placeholders');
  return out;
}

const statementsOf = (roleLogicalPrefix: string): StatementJson[] =>
  Object.entries(resourcesOfType(template, 'AWS::IAM::Policy'))
    .filter(([id]) => id.startsWith(roleLogicalPrefix))
    .flatMap(([, policy]) => props<{ PolicyDocument: { Statement: StatementJson[] } }>(policy).PolicyDocument.Statement);

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'cur-model-workflow-'));
  stack = new Stack(new App({ outdir }), 'training', { env: { account: names.account, region: names.region } });
  const training = new SageMakerTraining(stack, 'Training', { names, lakeKeyArn: LAKE_KEY });
  workflow = new ModelTrainingWorkflow(stack, 'Workflow', { names, training, lakeKeyArn: LAKE_KEY });
  template = Template.fromStack(stack);
  asl = deployedDefinition();
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('Construct: ModelTrainingWorkflow', () => {
  it('reads both manifests, unloads both tables, writes dataset.json, trains, then deletes the channel, in that order', () => {
    const order: string[] = [];
    // First the job name's check (next test), whose Choice goes on to the first manifest.
    expect([asl.StartAt, asl.States['JobName']?.Next]).toEqual(['JobName', 'PlatformJobName']);
    for (let name: string | undefined = 'ReadManifest-features'; name !== undefined && !order.includes(name); name = asl.States[name]?.Next) order.push(name);
    expect(order).toEqual(['ReadManifest-features', 'ReadManifest-labels', 'Unload-features', 'Unload-labels', 'DescribeLineage', 'DescribeChannel', 'WriteDescription', 'LaunchDefaults', 'Hyperparameters', 'Train', 'ListChannel', 'ChannelLeft']);
    const choice = (name: string): { Choices: { Next: string }[]; Default: string } => asl.States[name] as unknown as { Choices: { Next: string }[]; Default: string };
    expect(choice('ChannelLeft')).toMatchObject({ Choices: [{ Variable: '$.channel.KeyCount', NumericGreaterThan: 0, Next: 'DeleteChannel' }], Default: 'Outcome' });
    expect(asl.States['DeleteChannel']).toMatchObject({ Type: 'Map', ItemsPath: '$.channel.Contents', Next: 'ListChannel' });
    expect(choice('Outcome')).toMatchObject({ Choices: [{ Variable: '$.failure', IsPresent: true, Next: 'Failed' }], Default: 'Trained' });
    expect([asl.States['Failed']?.Type, asl.States['Trained']?.Type]).toEqual(['Fail', 'Succeed']);
    expect(Object.keys(asl.States)).toHaveLength(order.length + 7);
  });

  it('refuses, before reading anything, an execution whose name (the training job\'s) is not the stage\'s platform prefix', () => {
    // Prepare: the Choice rule as Step Functions evaluates StringMatches (`*` any run of characters; the prefix has no `*` or `\\`).
    expect(asl.States['JobName']).toEqual({ Type: 'Pass', Parameters: { 'name.$': '$$.Execution.Name' }, ResultPath: '$.execution', Next: 'PlatformJobName' });
    const choice = asl.States['PlatformJobName'] as unknown as { Choices: { Variable: string; StringMatches: string; Next: string }[]; Default: string };
    const [rule] = choice.Choices;
    const matches = (name: string): boolean => new RegExp(`^${(rule?.StringMatches ?? '').split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(name);

    // Act and assess
    expect(rule).toEqual({ Variable: '$.execution.name', StringMatches: 'cur-dev-train-*', Next: 'ReadManifest-features' });
    expect(choice.Default).toBe('JobNameRefused');
    expect(asl.States['JobNameRefused']).toMatchObject({ Type: 'Fail', Error: 'TrainingJobNameRefused' });
    expect(matches(JOB)).toBe(true);
    for (const foreign of ['my-experiment-1', 'cur-prod-train-digital-native-20261207-050000-a1b2', 'cur-digital-native-20261207-050000']) expect(matches(foreign), foreign).toBe(false);
    // And IAM lets the launcher create, follow and stop only jobs so named.
    const run = statementsOf('WorkflowLauncherRole').find((st) => st.Sid === 'RunTrainingJobs');
    expect(run?.Resource).toBe(`arn:aws:sagemaker:${names.region}:${names.account}:training-job/cur-dev-train-*`);
  });

  it('deletes the job\'s channel after the job whatever its end, and after a failed staging, never before training', () => {
    for (const name of ['Unload-features', 'Unload-labels', 'WriteDescription', 'Train']) {
      expect(asl.States[name]?.['Catch'], name).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'ListChannel' }]);
    }
    // Before the first UNLOAD there is nothing to delete, and a failed manifest read just fails.
    expect(asl.States['ReadManifest-features']?.['Catch']).toBeUndefined();
    const list = asl.States['ListChannel']?.Parameters ?? {};
    expect(statesFormat(String(list['Prefix.$']), { '$$.Execution.Name': JOB })).toBe(`model-history/channels/${JOB}/`);
  });

  it('unloads exactly the DS view of each table for the manifest\'s own date into the job\'s channel folder', () => {
    const policy = createMaskingPolicy();
    const values = { '$.manifests.features.manifest.businessDate': '2026-11-25', '$.manifests.labels.manifest.businessDate': '2026-11-25', '$$.Execution.Name': JOB };
    const system = names.bucketName('system');
    for (const [folder, dataset] of [['features', 'customer_features'], ['labels', 'customer_tags']] as const) {
      const state = asl.States[`Unload-${folder}`];
      expect(state?.['Resource']).toBe('arn:aws:states:::athena:startQueryExecution.sync');
      const sql = statesFormat(String(state?.Parameters?.['QueryString.$']), values);
      const columns = policy.viewOf('DS', dataset).map((v) => `"${v.column.name}"`).join(', ');
      expect(sql).toBe(
        `UNLOAD (SELECT ${columns} FROM "cur_dev_consumption"."${dataset}" WHERE business_date = DATE '2026-11-25') ` +
          `TO 's3://${system}/model-history/channels/${JOB}/${folder}/' WITH (format = 'PARQUET', compression = 'SNAPPY')`,
      );
      // The caller's input never reaches the SQL: the date is the SYSTEM-written manifest's.
      expect(String(state?.Parameters?.['QueryString.$'])).not.toContain('$.businessDate');
      expect(state?.Parameters?.['WorkGroup']).toBe('cur-dev-model-staging');
    }
    const read = asl.States['ReadManifest-features']?.Parameters ?? {};
    expect(statesFormat(String(read['Key.$']), { '$.businessDate': '2026-11-25' })).toBe('manifests/consumption/customer_features/business_date=2026-11-25.json');
  });

  it('describes the channel from the committed template, with the manifests\' hashes as lineage', () => {
    const describe = asl.States['DescribeChannel']?.Parameters ?? {};
    const channel = readChannelTemplate();
    expect(describe).toMatchObject({ format: 1, role: 'DS', features: channel.features, labels: channel.labels, tags: channel.tags });
    expect(channel.features.columns.filter((c) => c.classification === 'secret')).toEqual([]);
    expect(asl.States['DescribeLineage']?.Parameters?.['features']).toMatchObject({ 'content_sha256.$': '$.manifests.features.manifest.contentSha256' });
    const write = asl.States['WriteDescription']?.Parameters ?? {};
    expect(statesFormat(String(write['Key.$']), { '$$.Execution.Name': JOB })).toBe(`model-history/channels/${JOB}/dataset.json`);
  });

  it('trains on the scikit-learn image with the channel, the artefacts prefix, the lake key and the cur tags', () => {
    interface TrainParameters {
      readonly [field: string]: unknown;
      readonly InputDataConfig: { ChannelName: string; DataSource: { S3DataSource: Record<string, string> } }[];
      readonly Tags: Record<string, string>[];
    }
    const train = asl.States['Train']?.Parameters as TrainParameters;
    expect(asl.States['Train']?.['Resource']).toBe('arn:aws:states:::sagemaker:createTrainingJob.sync');
    expect(train['TrainingJobName.$']).toBe('$$.Execution.Name');
    expect(train['AlgorithmSpecification']).toEqual({
      TrainingImage: '354813040037.dkr.ecr.ap-northeast-1.amazonaws.com/sagemaker-scikit-learn:1.4-2-cpu-py3',
      TrainingInputMode: 'File',
      MetricDefinitions: readMetricDefinitions(),
    });
    const channel = train.InputDataConfig[0];
    expect(channel?.ChannelName).toBe('train');
    expect(statesFormat(String(channel?.DataSource.S3DataSource['S3Uri.$']), { '$$.Execution.Name': JOB })).toBe(`s3://${names.bucketName('system')}/model-history/channels/${JOB}/`);
    expect(train['OutputDataConfig']).toEqual({ S3OutputPath: `s3://${names.bucketName('system')}/model-history/artefacts/`, KmsKeyId: LAKE_KEY });
    expect(train['ResourceConfig']).toMatchObject({ VolumeKmsKeyId: LAKE_KEY, InstanceCount: 1 });
    const tags = Object.fromEntries(train.Tags.map((t) => [t['Key'], t['Value'] ?? t['Value.$']]));
    expect(tags).toEqual({
      'cur:role': 'DS',
      'cur:started-by': '$.startedBy',
      'cur:code-version': workflow.code.assetHash,
      'cur:target-tag': '$.job.merged.target_tag',
      'cur:data:1': "States.Format('consumption/customer_features/{}/{}', $.manifests.features.manifest.businessDate, $.manifests.features.manifest.contentSha256)",
      'cur:data:2': "States.Format('consumption/customer_tags/{}/{}', $.manifests.labels.manifest.businessDate, $.manifests.labels.manifest.contentSha256)",
    });
    // The code's entries win over the caller's, so a caller cannot swap the script.
    expect(asl.States['Hyperparameters']?.Parameters?.['merged.$']).toBe('States.JsonMerge(States.JsonMerge($.launch.defaults, $.hyperparameters, false), $.launch.code, false)');
    expect(asl.States['LaunchDefaults']?.['Result']).toMatchObject({ code: { sagemaker_program: TRAINING_ENTRY_POINT } });
  });

  it('gives the launcher, on consumption only, the human roles\' LF-tag grant: no secret column', () => {
    interface Grant {
      readonly Permissions: string[];
      readonly PermissionsWithGrantOption: string[];
      readonly Resource: { LFTagPolicy: { ResourceType: string; Expression: unknown[] } };
    }
    const grants = Object.values(resourcesOfType(template, 'AWS::LakeFormation::PrincipalPermissions')).map((r) => props<Grant>(r));
    expect(grants).toHaveLength(2);
    const tables = grants.find((g) => g.Resource.LFTagPolicy.ResourceType === 'TABLE');
    expect(tables?.Permissions).toEqual(['SELECT', 'DESCRIBE']);
    expect(tables?.PermissionsWithGrantOption).toEqual([]);
    expect(tables?.Resource.LFTagPolicy.Expression).toEqual([
      { TagKey: 'zone', TagValues: ['consumption'] },
      { TagKey: 'sensitivity', TagValues: [...HUMAN_READABLE_SENSITIVITIES] },
    ]);
    expect(HUMAN_READABLE_SENSITIVITIES).not.toContain('secret');
  });

  it('lets the launcher write only channels and staging results, and read only the two manifests; the job reads the code archive', () => {
    const launcher = statementsOf('WorkflowLauncherRole');
    const s3 = launcher.filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
    const system = names.bucketArn('system');
    expect([...new Set(s3.flatMap((s) => [s.Resource].flat()))].sort()).toEqual(
      [system, `${system}/manifests/consumption/customer_features/*`, `${system}/manifests/consumption/customer_tags/*`, `${system}/model-history/channels/*`, `${system}/model-history/staging-results/*`].sort(),
    );
    // Listing the system bucket is held to the launcher's own prefixes.
    expect(launcher.find((s) => actionsOf(s).includes('s3:ListBucket'))?.Condition).toEqual({ StringLike: { 's3:prefix': ['model-history/channels/*', 'model-history/staging-results/*'] } });
    const everything = JSON.stringify(launcher);
    for (const zone of ['landing', 'raw', 'transformed', 'consumption', 'mart']) expect(everything).not.toContain(names.bucketArn(zone as 'raw'));
    expect(everything).not.toMatch(/glue:(Create|Update|Delete|BatchCreate)/);
    expect(launcher.find((s) => s.Sid === 'PassTrainingRole')?.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } });
    const training = statementsOf('TrainingRole');
    expect(training.find((s) => s.Sid === 'ReadTrainingCode')?.Action).toBe('s3:GetObject');
  });

  it('enforces the staging workgroup\'s result location and its encryption with the lake key', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'cur-dev-model-staging',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        ResultConfiguration: { OutputLocation: `s3://${names.bucketName('system')}/model-history/staging-results/`, EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: LAKE_KEY } },
      },
    });
  });

  it('packages cur_model as SageMaker\'s sourcedir.tar.gz: the package as in the repository, the entry script, the pins', () => {
    const archive = join(outdir, workflow.code.assetPath);
    const listed = execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' }).split('\n').filter((line) => line.endsWith('.py') || line.endsWith('.txt'));
    expect(listed).toContain(`./${TRAINING_ENTRY_POINT}`);
    expect(listed).toContain('./requirements.txt');
    expect(listed).toContain('./cur_model/train.py');
    const train = execFileSync('tar', ['-xzOf', archive, './cur_model/train.py'], { encoding: 'utf8' });
    expect(train).toBe(readFileSync(join(MODEL_TRAINING_ROOT, 'src', 'cur_model', 'train.py'), 'utf8'));
    expect(execFileSync('tar', ['-xzOf', archive, './requirements.txt'], { encoding: 'utf8' })).toContain('scikit-learn==1.4.2');
    expect(listed.filter((line) => line.includes('__pycache__'))).toEqual([]);
  });

  it('has no unacknowledged AwsSolutions finding, and every acknowledgement is needed', () => {
    const run = runAwsSolutions(stack);
    expect(run.findings).toEqual([]);
    expect(acknowledgementsUnder(stack).map(({ path, id }) => `${path}|${id}`).filter((key) => !run.usedAcknowledgements.has(key))).toEqual([]);
  });
});

/** A state's Parameters as the service receives them: each `.$` field evaluated on a sample execution. */
function materialize(value: unknown, paths: Readonly<Record<string, unknown>>): unknown {
  if (Array.isArray(value)) return value.map((item) => materialize(item, paths));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (!key.endsWith('.$')) {
      out[key] = materialize(field, paths);
      continue;
    }
    const expression = String(field);
    const strings = Object.fromEntries(Object.entries(paths).map(([path, v]) => [path, String(v)]));
    if (expression.startsWith('States.Format(')) out[key.slice(0, -2)] = statesFormat(expression, strings);
    else if (expression.startsWith('States.JsonToString(')) out[key.slice(0, -2)] = JSON.stringify(paths[expression.slice(20, -1)]);
    else if (expression in paths) out[key.slice(0, -2)] = paths[expression];
    else throw new Error(`no sample value for ${expression}`);
  }
  return out;
}

describe('The requests the workflow sends, against the services\' own API models (botocore)', () => {
  it('are valid CreateTrainingJob, StartQueryExecution, GetObject and PutObject requests', () => {
    // Prepare: a sample execution's values for every path the states read.
    const paths = {
      '$$.Execution.Name': JOB,
      '$.businessDate': '2026-11-25',
      '$.startedBy': 'ds-analyst',
      '$.manifests.features.manifest.businessDate': '2026-11-25',
      '$.manifests.labels.manifest.businessDate': '2026-11-25',
      '$.manifests.features.manifest.contentSha256': 'a'.repeat(64),
      '$.manifests.labels.manifest.contentSha256': 'b'.repeat(64),
      '$.job.merged': { target_tag: 'digital_native', seed: '7', sagemaker_program: TRAINING_ENTRY_POINT, sagemaker_submit_directory: 's3://assets/code.tar.gz' },
      '$.job.merged.target_tag': 'digital_native',
      '$.description': { format: 1 },
      '$.Key': `model-history/channels/${JOB}/dataset.json`,
    };
    const deleteObject = (asl.States['DeleteChannel'] as unknown as { ItemProcessor: { States: { DeleteObject: { Parameters: unknown } } } }).ItemProcessor.States.DeleteObject;
    asl.States['DeleteObject'] = { Type: 'Task', Parameters: deleteObject.Parameters as Record<string, unknown> };
    const requests = [
      ['s3', 'ListObjectsV2', 'ListChannel'],
      ['s3', 'DeleteObject', 'DeleteObject'],
      ['s3', 'GetObject', 'ReadManifest-features'],
      ['s3', 'GetObject', 'ReadManifest-labels'],
      ['athena', 'StartQueryExecution', 'Unload-features'],
      ['athena', 'StartQueryExecution', 'Unload-labels'],
      ['s3', 'PutObject', 'WriteDescription'],
      ['sagemaker', 'CreateTrainingJob', 'Train'],
    ].map(([service, operation, state]) => ({ service, operation, state, params: materialize(asl.States[state ?? '']?.Parameters, paths) }));
    const script = [
      'import json, sys',
      'import botocore.session',
      'from botocore.validate import ParamValidator',
      'session = botocore.session.get_session()',
      'problems = []',
      'for request in json.load(sys.stdin):',
      '    model = session.get_service_model(request["service"]).operation_model(request["operation"])',
      '    report = ParamValidator().validate(request["params"], model.input_shape)',
      '    if report.has_errors():',
      '        problems.append(request["state"] + ": " + report.generate_report())',
      'print(json.dumps(problems))',
    ].join('\n');

    // Act
    const run = spawnSync(join(WORKSPACE_ROOT, '.venv', 'bin', 'python'), ['-c', script], { input: JSON.stringify(requests), encoding: 'utf8' });

    // Assess
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([]);
    // The check can fail: a misspelt field is reported.
    const train = requests.find((r) => r.state === 'Train');
    const broken = [{ ...train, params: { ...(train?.params as object), TrainingJobNam: JOB } }];
    const refused = spawnSync(join(WORKSPACE_ROOT, '.venv', 'bin', 'python'), ['-c', script], { input: JSON.stringify(broken), encoding: 'utf8' });
    expect(JSON.parse(refused.stdout)).toEqual([expect.stringContaining('Train: Unknown parameter in input: "TrainingJobNam"')]);
  });
});

describe('MetricDefinitions of the deployed job, against the script\'s real output', () => {
  it('take from the lines the training script prints exactly the metrics it saves', () => {
    // Prepare: the script itself on a synthetic channel (libs/model-training's test builder), in the workspace's Python.
    const python = join(WORKSPACE_ROOT, '.venv', 'bin', 'python');
    const work = mkdtempSync(join(tmpdir(), 'cur-model-metrics-'));
    try {
      const script = [
        'import json, sys',
        `sys.path.insert(0, ${JSON.stringify(join(MODEL_TRAINING_ROOT, 'tests'))})`,
        'from pathlib import Path',
        'from channel_builder import job_environment, write_channel',
        'from cur_model.train import main',
        'root = Path(sys.argv[1])',
        'env = job_environment(root, write_channel(root / "train").path, {"seed": "3"})',
        'code = main(env)',
        'print("METRICS " + (Path(env["SM_OUTPUT_DATA_DIR"]) / "metrics.json").read_text().replace("\\n", " "))',
        'sys.exit(code)',
      ].join('\n');
      // Act
      const run = spawnSync(python, ['-c', script, work], { encoding: 'utf8', timeout: 120_000 });
      expect(run.status, run.stderr).toBe(0);

      // Assess: each definition, applied as SageMaker applies it to the log, gives the saved value once.
      const lines = run.stdout.split('\n');
      const saved = JSON.parse(lines.find((line) => line.startsWith('METRICS '))?.slice('METRICS '.length) ?? '{}') as Record<string, number>;
      const train = asl.States['Train']?.Parameters as { AlgorithmSpecification: { MetricDefinitions: { Name: string; Regex: string }[] } };
      const definitions = train.AlgorithmSpecification.MetricDefinitions;
      expect(definitions.map((d) => d.Name).sort()).toEqual(Object.keys(saved).sort());
      for (const { Name, Regex } of definitions) {
        const found = lines.flatMap((line) => {
          const match = new RegExp(Regex).exec(line);
          return match ? [Number(match[1])] : [];
        });
        expect(found, Name).toHaveLength(1);
        expect(found[0], Name).toBeCloseTo(saved[Name] ?? Number.NaN, 6);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 180_000);
});
