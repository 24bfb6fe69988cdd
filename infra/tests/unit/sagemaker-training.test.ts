import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { PlatformNames } from '../../src/config/platform-names';
import { loadStageConfig } from '../../src/config/stage-config';
import { MODEL_ARTEFACT_PREFIX, MODEL_CHANNEL_PREFIX, SageMakerTraining, sklearnTrainingImage } from '../../src/constructs/sagemaker-training';
import { acknowledgementsUnder, runAwsSolutions } from '../helpers/nag';

const names = new PlatformNames(loadStageConfig('dev'));
const LAKE_KEY = `arn:aws:kms:${names.region}:${names.account}:key/00000000-0000-0000-0000-000000000000`;

function build(): { stack: Stack; training: SageMakerTraining; template: Template } {
  const stack = new Stack(new App(), 'training', { env: { account: names.account, region: names.region } });
  const training = new SageMakerTraining(stack, 'Training', { names, lakeKeyArn: LAKE_KEY });
  return { stack, training, template: Template.fromStack(stack) };
}

type Statement = { Sid: string; Action: string | string[]; Resource: string | string[] };

describe('Construct: SageMakerTraining', () => {
  it('lets SageMaker read only the staged channel, and write only the artefacts (the code archive is granted by the workflow)', () => {
    // Prepare
    const { template } = build();

    // Act
    const policies = Object.values(template.findResources('AWS::IAM::Policy')) as { Properties: { PolicyDocument: { Statement: Statement[] } } }[];
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    const system = names.bucketArn('system');

    // Assess
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'cur-dev-sagemaker-training',
      AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'sagemaker.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': names.account } } }] },
    });
    const s3 = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));
    expect(s3.flatMap((s) => [s.Resource].flat()).sort()).toEqual(
      [system, `${system}/${MODEL_CHANNEL_PREFIX}*`, `${system}/${MODEL_ARTEFACT_PREFIX}*`].sort(),
    );
    expect(statements.find((s) => s.Sid === 'WriteArtefacts')?.Action).toBe('s3:PutObject');
    // No zone bucket, no catalog, no Lake Formation: the job sees only what the DS view staged for it.
    const everything = JSON.stringify(statements);
    for (const zone of ['landing', 'raw', 'transformed', 'consumption', 'mart']) expect(everything).not.toContain(names.bucketArn(zone as 'raw'));
    expect(everything).not.toMatch(/glue:|lakeformation:/);
  });

  it('runs the scikit-learn 1.4-2 image of the stage\'s region, and refuses a region it does not know', () => {
    expect(build().training.trainingImage).toBe('354813040037.dkr.ecr.ap-northeast-1.amazonaws.com/sagemaker-scikit-learn:1.4-2-cpu-py3');
    expect(sklearnTrainingImage('eu-central-1')).toBe('492215442770.dkr.ecr.eu-central-1.amazonaws.com/sagemaker-scikit-learn:1.4-2-cpu-py3');
    expect(() => sklearnTrainingImage('xx-nowhere-1')).toThrow('no SageMaker scikit-learn image account is known for region xx-nowhere-1');
    // Another partition's registry domain is not amazonaws.com: refused, not guessed.
    expect(() => sklearnTrainingImage('cn-north-1')).toThrow('cn-north-1');
  });

  it('has no unacknowledged AwsSolutions finding, and every acknowledgement is needed', () => {
    const { stack } = build();
    const run = runAwsSolutions(stack);
    expect(run.findings).toEqual([]);
    const acknowledgements = acknowledgementsUnder(stack);
    expect(acknowledgements.map(({ path, id }) => `${path}|${id}`).filter((key) => !run.usedAcknowledgements.has(key))).toEqual([]);
  });
});

describe('Stack: ModelTrainingStack, in the stage', () => {
  it('holds the training role and the workflow, lets DS start, follow and stop it, names them in SSM, with no AwsSolutions finding', async () => {
    const { synthStage } = await import('../helpers/synth-stage');
    const synth = synthStage();
    try {
      const stack = synth.stage.modelTraining;
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'cur-dev-sagemaker-training' });
      template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/cur-dev/model-training/image-uri', Value: sklearnTrainingImage(names.region) });
      template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/cur-dev/model-training/role-arn' });
      template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/cur-dev/model-training/state-machine-arn' });
      template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: 'cur-dev-model-training' });
      const policies = Object.values(template.findResources('AWS::IAM::Policy')) as { Properties: { Roles?: unknown[]; PolicyDocument: { Statement: Statement[] } } }[];
      const ds = policies.filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify(['cur-dev-ds']));
      const dsActions = ds.flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((s) => [s.Action].flat()));
      expect(dsActions).toEqual(expect.arrayContaining(['states:StartExecution', 'states:DescribeExecution', 'states:StopExecution']));
      // The DS human role gets the workflow, never the data: no S3, Athena or Glue action of its own here; of
      // SageMaker only describing the platform's own jobs (status and transitions for cur model train --aws), and of
      // SSM only the parameter naming the state machine.
      expect(dsActions.filter((a) => /^(s3|athena|glue|lakeformation):/.test(a))).toEqual([]);
      const dsStatements = ds.flatMap((p) => p.Properties.PolicyDocument.Statement);
      const of = (prefix: string): Statement[] => dsStatements.filter((s) => [s.Action].flat().some((a) => String(a).startsWith(prefix)));
      expect(of('sagemaker:').map((s) => ({ Action: s.Action, Resource: s.Resource }))).toEqual([
        { Action: 'sagemaker:DescribeTrainingJob', Resource: `arn:aws:sagemaker:${names.region}:${names.account}:training-job/cur-dev-train-*` },
      ]);
      expect(of('ssm:').map((s) => ({ Action: s.Action, Resource: s.Resource }))).toEqual([
        { Action: 'ssm:GetParameter', Resource: `arn:aws:ssm:${names.region}:${names.account}:parameter/cur-dev/model-training/state-machine-arn` },
      ]);
      // The launcher's Lake Formation grant on consumption is the DS role's own, with the zone narrowed to consumption.
      const tableGrants = (t: Template): { principal: string; expression: { TagKey: string; TagValues: string[] }[] }[] =>
        (Object.values(t.findResources('AWS::LakeFormation::PrincipalPermissions')) as { Properties: { Principal: { DataLakePrincipalIdentifier: unknown }; Resource: { LFTagPolicy?: { ResourceType: string; Expression: { TagKey: string; TagValues: string[] }[] } } } }[])
          .filter((g) => g.Properties.Resource.LFTagPolicy?.ResourceType === 'TABLE')
          .map((g) => ({ principal: JSON.stringify(g.Properties.Principal.DataLakePrincipalIdentifier), expression: g.Properties.Resource.LFTagPolicy?.Expression ?? [] }));
      const dsGrant = tableGrants(synth.template('platform')).find((g) => g.principal.includes('RolesDS'));
      const launcherGrant = tableGrants(template)[0];
      expect(dsGrant?.expression.find((e) => e.TagKey === 'zone')?.TagValues).toContain('consumption');
      expect(launcherGrant?.expression).toEqual(dsGrant?.expression.map((e) => (e.TagKey === 'zone' ? { ...e, TagValues: ['consumption'] } : e)));
      expect(stack.stackName).toBe('cur-dev-model-training');
      expect(runAwsSolutions(stack).findings).toEqual([]);
    } finally {
      synth.dispose();
    }
  }, 180_000);
});
