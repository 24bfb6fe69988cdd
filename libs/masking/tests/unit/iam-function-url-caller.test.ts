import { describe, expect, it } from 'vitest';
import { asKeyServiceCaller, roleArnOfAssumedRole } from '../../src/http/iam-function-url-caller';

const MASK_JOB_ROLE = 'arn:aws:iam::123456789012:role/cur-dev-system-pipeline';
const urlEvent = (userArn: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  version: '2.0',
  rawPath: '/v1/tokenize',
  requestContext: { accountId: '123456789012', authorizer: { iam: { accountId: '123456789012', userArn, ...extra } } },
});
const claimsOf = (event: unknown): unknown => (event as { requestContext: { authorizer: unknown } }).requestContext.authorizer;

describe('Function: roleArnOfAssumedRole', () => {
  it('names the role of an assumed-role session, in its partition', () => {
    expect(roleArnOfAssumedRole('arn:aws:sts::123456789012:assumed-role/cur-dev-system-pipeline/GlueJobRunnerSession')).toBe(MASK_JOB_ROLE);
    expect(roleArnOfAssumedRole('arn:aws-cn:sts::123456789012:assumed-role/r/s1')).toBe('arn:aws-cn:iam::123456789012:role/r');
  });

  it('names no role for a user, a root or a malformed ARN', () => {
    for (const arn of ['arn:aws:iam::123456789012:user/alice', 'arn:aws:iam::123456789012:root', 'arn:aws:sts::12345:assumed-role/r/s', 'arn:aws:sts::123456789012:assumed-role/r']) expect(roleArnOfAssumedRole(arn), arn).toBeUndefined();
  });
});

describe('Function: asKeyServiceCaller', () => {
  it('makes the mask job’s signed role SYSTEM, any other identity no role, and drops whatever else the authorizer held', () => {
    // Act
    const system = asKeyServiceCaller(urlEvent('arn:aws:sts::123456789012:assumed-role/cur-dev-system-pipeline/GlueJobRunnerSession', { jwt: { claims: { 'cur:role': 'SYSTEM' } } }), new Set([MASK_JOB_ROLE]));
    const other = asKeyServiceCaller(urlEvent('arn:aws:sts::123456789012:assumed-role/cur-dev-de/alice'), new Set([MASK_JOB_ROLE]));
    const user = asKeyServiceCaller(urlEvent('arn:aws:iam::123456789012:user/alice'), new Set([MASK_JOB_ROLE]));

    // Assess
    expect(claimsOf(system)).toEqual({ jwt: { claims: { sub: `iam:${MASK_JOB_ROLE}`, 'cur:role': 'SYSTEM' }, scopes: null } });
    expect(claimsOf(other)).toEqual({ jwt: { claims: { sub: 'iam:arn:aws:iam::123456789012:role/cur-dev-de', 'cur:role': '' }, scopes: null } });
    expect(claimsOf(user)).toEqual({ jwt: { claims: { sub: 'iam:unknown-identity', 'cur:role': '' }, scopes: null } });
  });

  it('leaves a request without an IAM authorizer as it came (API Gateway’s JWT route, the loopback service)', () => {
    const jwt = { version: '2.0', requestContext: { authorizer: { jwt: { claims: { sub: 'svc', 'cur:role': 'SYSTEM' }, scopes: null } } } };
    expect(asKeyServiceCaller(jwt, new Set([MASK_JOB_ROLE]))).toBe(jwt);
    expect(asKeyServiceCaller('not an event', new Set())).toBe('not an event');
  });
});
