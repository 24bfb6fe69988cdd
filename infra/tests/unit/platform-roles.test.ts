import { HUMAN_ROLES } from '@cur/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAINTEXT_BUCKETS } from '../../src/constructs/platform-roles';
import type { SynthesizedStage } from '../helpers/synth-stage';
import { logicalIdOf, synthStage } from '../helpers/synth-stage';
import type { StatementJson } from '../helpers/template-queries';
import { actionsOf, props, resourcesOfType } from '../helpers/template-queries';

describe('Construct: PlatformRoles', () => {
  let synth: SynthesizedStage;
  let statementsOf: (roleLogicalId: string) => StatementJson[];
  beforeAll(() => {
    synth = synthStage();
    const policies = Object.values(resourcesOfType(synth.template('platform'), 'AWS::IAM::Policy')).map((policy) =>
      props<{ PolicyDocument: { Statement: StatementJson[] }; Roles: { Ref: string }[] }>(policy),
    );
    statementsOf = (roleLogicalId) =>
      policies.filter((policy) => policy.Roles.some((role) => role.Ref === roleLogicalId)).flatMap((policy) => policy.PolicyDocument.Statement);
  });
  afterAll(() => synth.dispose());

  it.each(HUMAN_ROLES)('%s is assumable only by the principals in the stage config', (role) => {
    synth.template('platform').hasResourceProperties('AWS::IAM::Role', {
      RoleName: `cur-dev-${role.toLowerCase()}`,
      MaxSessionDuration: 4 * 3600,
      AssumeRolePolicyDocument: {
        Statement: synth.config.humanRolePrincipals[role].map((arn) => ({ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: arn } })),
        Version: '2012-10-17',
      },
    });
  });

  it.each(HUMAN_ROLES)('%s reaches data only through Lake Formation: no S3 or KMS allowed', (role) => {
    const allowed = statementsOf(logicalIdOf(synth.stage.platform.roles.humanRoles[role]))
      .filter((statement) => statement.Effect === 'Allow')
      .flatMap(actionsOf);

    expect(allowed.filter((action) => action.startsWith('s3:') || action.startsWith('kms:') || action === '*')).toEqual([]);
    expect(allowed).toContain('lakeformation:GetDataAccess');
  });

  it.each(HUMAN_ROLES)('%s is explicitly denied the plaintext buckets and the SYSTEM-only keys', (role) => {
    const denied = statementsOf(logicalIdOf(synth.stage.platform.roles.humanRoles[role])).filter((statement) => statement.Effect === 'Deny');
    const keys = synth.stage.platform.keys.keys;

    expect(denied).toContainEqual(
      expect.objectContaining({
        Action: 's3:*',
        Resource: [...PLAINTEXT_BUCKETS.flatMap((bucket) => [`arn:aws:s3:::cur-dev-${bucket}`, `arn:aws:s3:::cur-dev-${bucket}/*`])].sort(),
      }),
    );
    expect(denied).toContainEqual(
      expect.objectContaining({
        Action: 'kms:*',
        Resource: expect.toSatisfy(
          (resources: unknown[]) =>
            resources.length === 2 &&
            [keys.landing, keys.keys].every((key) => JSON.stringify(resources).includes(`"${logicalIdOf(key)}"`)),
        ),
      }),
    );
    expect(PLAINTEXT_BUCKETS).toEqual(['landing', 'quarantine']);
  });

  it('names the SYSTEM role so the SYSTEM-only key policies recognise it, and lets only Glue assume it', () => {
    synth.template('platform').hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'cur-dev-system-pipeline',
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'glue.amazonaws.com' } }], Version: '2012-10-17' },
    });
  });
});
