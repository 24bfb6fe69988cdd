import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_NAMES } from '../../src/config/apps';
import type { KeyPurpose } from '../../src/config/platform-names';
import { KEY_PURPOSES, SYSTEM_ONLY_KEY_PURPOSES } from '../../src/config/platform-names';
import { KEY_ADMIN_ACTIONS } from '../../src/constructs/lake-keys';
import type { SynthesizedStage } from '../helpers/synth-stage';
import { logicalIdOf, synthStage } from '../helpers/synth-stage';
import type { StatementJson } from '../helpers/template-queries';
import { actionMatches, actionsOf, arnLike, props, resourcesOf, resourcesOfType } from '../helpers/template-queries';

/** Actions that reveal or produce plaintext under a key. */
const CRYPTO_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:CreateGrant'];

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

  it.each(SYSTEM_ONLY_KEY_PURPOSES)('lets only SYSTEM principals decrypt with the %s key', (purpose) => {
    const statements = keyPolicy(purpose).filter((statement) => statement.Effect === 'Allow');
    const pattern = synth.stage.names.systemPrincipalArnPattern;

    const decrypting = statements.filter((statement) => actionsOf(statement).some((action) => actionMatches(action, 'kms:Decrypt')));
    expect(decrypting).toHaveLength(1);
    expect(decrypting[0]?.Condition).toEqual({ ArnLike: { 'aws:PrincipalArn': pattern } });
    expect(pattern).toBe(`arn:aws:iam::${synth.config.account}:role/cur-dev-system-*`);
  });

  it.each(SYSTEM_ONLY_KEY_PURPOSES)('lets the account administer the %s key without any cryptographic action', (purpose) => {
    const admin = keyPolicy(purpose).find((statement) => statement.Sid === 'AccountAdministersKeyWithoutUsingIt');

    const actions = actionsOf(admin as StatementJson);
    expect([...actions].sort()).toEqual([...KEY_ADMIN_ACTIONS].sort());
    for (const action of CRYPTO_ACTIONS) {
      expect(actions.some((pattern) => actionMatches(pattern, action)), action).toBe(false);
    }
  });

  it('lets DynamoDB, and nothing else, create grants on the keys-service key', () => {
    const grants = keyPolicy('keys').filter((statement) => actionsOf(statement).includes('kms:CreateGrant'));

    expect(grants).toHaveLength(1);
    expect(grants[0]?.Condition).toEqual({
      Bool: { 'kms:GrantIsForAWSResource': 'true' },
      StringEquals: { 'kms:ViaService': 'dynamodb.ap-northeast-1.amazonaws.com' },
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
          if (!arnLike(synth.stage.names.systemPrincipalArnPattern, synth.stage.names.roleArn(roleName))) findings.push(`${stackName}/${id} -> ${roleName}`);
        }
      }
    }
    expect(findings).toEqual([]);
    // The check found the grants it must find, so it is not passing on an empty set.
    expect(granted.sort()).toEqual(['cur-dev-system-ingestion-controller', 'cur-dev-system-pipeline']);
  });
});
