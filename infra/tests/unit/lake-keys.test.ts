import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_NAMES } from '../../src/config/apps';
import type { KeyPurpose } from '../../src/config/platform-names';
import { KEY_PURPOSES, SYSTEM_ONLY_KEY_PURPOSES } from '../../src/config/platform-names';
import { KEY_ADMIN_ACTIONS, KEY_POLICY_CHANGE_ACTIONS } from '../../src/constructs/lake-keys';
import { loadStageConfig, parseStageConfig } from '../../src/config/stage-config';
import type { SynthesizedStage } from '../helpers/synth-stage';
import { logicalIdOf, synthStage } from '../helpers/synth-stage';
import type { StatementJson } from '../helpers/template-queries';
import { actionMatches, actionsOf, props, resourcesOf, resourcesOfType } from '../helpers/template-queries';

/** Actions that reveal or produce plaintext under a key. */
const CRYPTO_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:CreateGrant'];

/** Actions that would let one administrator widen who may use a key: a new policy, a grant, the alias moved away. */
const WIDENING_ACTIONS = ['kms:PutKeyPolicy', 'kms:CreateGrant', 'kms:UpdateAlias', 'kms:DeleteAlias'];

describe('Construct: LakeKeys', () => {
  let synth: SynthesizedStage;
  beforeAll(() => {
    synth = synthStage();
  });
  afterAll(() => synth.dispose());

  const keyPolicy = (purpose: KeyPurpose): StatementJson[] => {
    const logicalId = logicalIdOf(synth.stage.platform.keys.keys[purpose]);
    const key = synth.template('platform').toJSON()['Resources'][logicalId] as { Properties: { KeyPolicy: { Statement: StatementJson[] } } };
    return key.Properties.KeyPolicy.Statement;
  };

  it('creates one customer-managed key per sensitivity, rotated yearly and retained', () => {
    const template = synth.template('platform');

    template.resourceCountIs('AWS::KMS::Key', KEY_PURPOSES.length);
    template.allResourcesProperties('AWS::KMS::Key', { EnableKeyRotation: true, RotationPeriodInDays: 365, PendingWindowInDays: 30 });
    template.allResources('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
    for (const purpose of KEY_PURPOSES) {
      template.hasResourceProperties('AWS::KMS::Alias', { AliasName: `alias/cur-dev/${purpose}` });
      template.hasResourceProperties('AWS::SSM::Parameter', { Name: `/cur-dev/kms/${purpose}-key-arn` });
    }
  });

  it.each(SYSTEM_ONLY_KEY_PURPOSES)('lets only the exact ARNs of the SYSTEM roles the stage creates use the %s key', (purpose) => {
    const statements = keyPolicy(purpose).filter((statement) => statement.Effect === 'Allow');
    const account = synth.config.account;

    const decrypting = statements.filter((statement) => actionsOf(statement).some((action) => actionMatches(action, 'kms:Decrypt')));
    expect(decrypting).toHaveLength(1);
    // StringEquals on exact ARNs: no ArnLike/StringLike, no wildcard a role created later could match.
    expect(decrypting[0]?.Condition).toEqual({
      StringEquals: {
        'aws:PrincipalArn': [
          `arn:aws:iam::${account}:role/cur-dev-system-pipeline`,
          `arn:aws:iam::${account}:role/cur-dev-system-ingestion-controller`,
          `arn:aws:iam::${account}:role/cur-dev-system-masking-key-service`,
        ],
      },
    });
    expect(synth.stage.names.systemPrincipalArns).toEqual(decrypting[0]?.Condition?.['StringEquals']?.['aws:PrincipalArn']);
  });

  it.each(SYSTEM_ONLY_KEY_PURPOSES)('conditions every statement of the %s key on exact values, never a pattern', (purpose) => {
    for (const statement of keyPolicy(purpose)) {
      const operators = Object.keys(statement.Condition ?? {});
      expect(operators.filter((operator) => /Like$/.test(operator)), statement.Sid).toEqual([]);
      expect(JSON.stringify(statement.Condition ?? {}), statement.Sid).not.toContain('*');
    }
  });

  it.each(SYSTEM_ONLY_KEY_PURPOSES)('lets the account administer the %s key without any cryptographic or policy-widening action', (purpose) => {
    const admin = keyPolicy(purpose).find((statement) => statement.Sid === 'AccountAdministersKeyWithoutUsingIt');

    const actions = actionsOf(admin as StatementJson);
    expect([...actions].sort()).toEqual([...KEY_ADMIN_ACTIONS].sort());
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
    expect(admin?.Condition).toBeUndefined();
    for (const action of [...CRYPTO_ACTIONS, ...WIDENING_ACTIONS]) {
      expect(actions.some((pattern) => actionMatches(pattern, action)), action).toBe(false);
    }
  });

  it.each(SYSTEM_ONLY_KEY_PURPOSES)('lets only the deploy role change the %s key policy, grants or alias', (purpose) => {
    const deployRole = `arn:aws:iam::${synth.config.account}:role/cdk-hnb659fds-cfn-exec-role-${synth.config.account}-ap-northeast-1`;

    for (const action of WIDENING_ACTIONS) {
      const allowing = keyPolicy(purpose).filter((statement) => statement.Effect === 'Allow' && actionsOf(statement).some((pattern) => actionMatches(pattern, action)));
      for (const statement of allowing) {
        expect(statement.Condition?.['StringEquals']?.['aws:PrincipalArn'], `${action} in ${statement.Sid}`).toEqual([deployRole]);
      }
      if (action !== 'kms:CreateGrant') expect(allowing.map((statement) => statement.Sid), action).toEqual(['OnlyDeployOrBreakGlassChangesKeyPolicy']);
    }
    const change = keyPolicy(purpose).find((statement) => statement.Sid === 'OnlyDeployOrBreakGlassChangesKeyPolicy');
    expect([...actionsOf(change as StatementJson)].sort()).toEqual([...KEY_POLICY_CHANGE_ACTIONS].sort());
  });

  it('lets DynamoDB, and nothing else, create grants on the keys-service key', () => {
    const grants = keyPolicy('keys').filter((statement) => actionsOf(statement).includes('kms:CreateGrant'));

    expect(grants).toHaveLength(1);
    expect(grants[0]?.Condition).toEqual({
      Bool: { 'kms:GrantIsForAWSResource': 'true' },
      StringEquals: {
        'kms:ViaService': 'dynamodb.ap-northeast-1.amazonaws.com',
        'aws:PrincipalArn': [`arn:aws:iam::${synth.config.account}:role/cdk-hnb659fds-cfn-exec-role-${synth.config.account}-ap-northeast-1`],
      },
    });
    expect(keyPolicy('landing').filter((statement) => actionsOf(statement).includes('kms:CreateGrant'))).toEqual([]);
  });

  it('lets CloudWatch and EventBridge encrypt topic messages with the lake key, in this account only', () => {
    const services = keyPolicy('lake').find((statement) => statement.Sid === 'ServicesEncryptTopicMessages');

    expect(services?.Principal).toEqual({ Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] });
    expect(services?.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': synth.config.account } });
  });

  it('grants the landing key to no IAM role outside SYSTEM in any stack', () => {
    const stackNames = ['platform', ...APP_NAMES] as const;
    const landingKeyId = logicalIdOf(synth.stage.platform.keys.keys.landing);
    const findings: string[] = [];
    const granted: string[] = [];
    for (const stackName of stackNames) {
      const template = synth.template(stackName);
      const json = template.toJSON() as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>; Parameters?: Record<string, { Default?: string }> };
      const roleNames = new Map(
        Object.entries(resourcesOfType(template, 'AWS::IAM::Role')).map(([id, role]) => [id, String(props<{ RoleName?: string }>(role).RoleName)]),
      );
      const landingParameter = Object.entries(json.Parameters ?? {}).find(([, parameter]) => parameter.Default === '/cur-dev/kms/landing-key-arn')?.[0];
      const refersToLandingKey = (resource: unknown): boolean => {
        const text = JSON.stringify(resource);
        return resource === '*' || text.includes(`"${landingKeyId}"`) || (landingParameter !== undefined && text.includes(`"${landingParameter}"`));
      };
      for (const [id, policy] of Object.entries(resourcesOfType(template, 'AWS::IAM::Policy'))) {
        const document = props<{ PolicyDocument: { Statement: StatementJson[] }; Roles: { Ref: string }[] }>(policy);
        const grantsLanding = document.PolicyDocument.Statement.some(
          (statement) =>
            statement.Effect === 'Allow' &&
            actionsOf(statement).some((action) => action.startsWith('kms:') || action === '*') &&
            resourcesOf(statement).some(refersToLandingKey),
        );
        if (!grantsLanding) continue;
        for (const role of document.Roles) {
          const roleName = roleNames.get(role.Ref) ?? role.Ref;
          granted.push(roleName);
          if (!synth.stage.names.systemPrincipalArns.includes(synth.stage.names.roleArn(roleName))) findings.push(`${stackName}/${id} -> ${roleName}`);
        }
      }
    }
    expect(findings).toEqual([]);
    // The check found the grants it must find, so it is not passing on an empty set.
    expect(granted.sort()).toEqual(['cur-dev-system-ingestion-controller', 'cur-dev-system-pipeline']);
  });
});

describe('Construct: LakeKeys, with a break-glass role', () => {
  let synth: SynthesizedStage;
  const breakGlass = 'arn:aws:iam::123456789012:role/cur-break-glass-kms';
  beforeAll(() => {
    const config = loadStageConfig('dev');
    synth = synthStage({ config: { ...config, keyAdministration: { breakGlassRoleArns: [breakGlass] } } });
  });
  afterAll(() => synth.dispose());

  it.each(SYSTEM_ONLY_KEY_PURPOSES)('adds the break-glass role, and only it, beside the deploy role on the %s key', (purpose) => {
    const logicalId = logicalIdOf(synth.stage.platform.keys.keys[purpose]);
    const key = synth.template('platform').toJSON()['Resources'][logicalId] as { Properties: { KeyPolicy: { Statement: StatementJson[] } } };
    const change = key.Properties.KeyPolicy.Statement.find((statement) => statement.Sid === 'OnlyDeployOrBreakGlassChangesKeyPolicy');

    expect(change?.Condition).toEqual({
      StringEquals: { 'aws:PrincipalArn': [`arn:aws:iam::${synth.config.account}:role/cdk-hnb659fds-cfn-exec-role-${synth.config.account}-ap-northeast-1`, breakGlass] },
    });
  });

  it('refuses an account root as a break-glass principal: it would hand policy changes to every admin', () => {
    const config = loadStageConfig('dev');

    expect(() => parseStageConfig({ ...config, keyAdministration: { breakGlassRoleArns: ['arn:aws:iam::123456789012:root'] } })).toThrow(/IAM role ARN/);
  });
});
