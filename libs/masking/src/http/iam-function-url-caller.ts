import { z } from 'zod';

/** The `sub` of a caller known by its IAM identity: the role's ARN after this prefix. */
export const IAM_PRINCIPAL_PREFIX = 'iam:';

/** What an IAM-authorised Lambda function URL puts in the request context (payload format 2.0). */
const IamFunctionUrlRequestSchema = z.looseObject({
  requestContext: z.looseObject({
    authorizer: z.looseObject({ iam: z.looseObject({ userArn: z.string() }) }),
  }),
});

const ASSUMED_ROLE_ARN = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([\w+=,.@-]{1,64})\/[\w+=,.@-]{2,64}$/;

/**
 * The IAM role behind an assumed-role ARN (`arn:aws:sts::<account>:assumed-role/<role>/<session>` becomes
 * `arn:aws:iam::<account>:role/<role>`), or undefined for any other identity (a user, a federated caller).
 */
export function roleArnOfAssumedRole(userArn: string): string | undefined {
  const match = ASSUMED_ROLE_ARN.exec(userArn);
  return match ? `arn:${match[1]}:iam::${match[2]}:role/${match[3]}` : undefined;
}

/**
 * Turns a request that came through the masking-key-service's IAM-authorised function URL into the caller the handler
 * reads (`createMaskingKeyServiceHandler` knows callers by a JWT authorizer's `sub` and `cur:role`): Lambda has
 * checked the SigV4 signature, so `authorizer.iam.userArn` is who signed. A role in `systemRoleArns` (the Glue mask
 * job's SYSTEM role) acts as SYSTEM; any other IAM identity gets no role, which the token service refuses and audits.
 * The IAM context replaces the authorizer whole, so nothing else in the request can claim a role. A request without
 * an IAM authorizer (API Gateway's JWT route, the loopback service) is returned unchanged.
 *
 * @param systemRoleArns - exact role ARNs (`arn:aws:iam::<account>:role/<name>`) whose calls act as SYSTEM
 *
 * @example
 * const handle = createMaskingKeyServiceHandler(service);
 * export const handler = (event: unknown) => handle(asKeyServiceCaller(event, new Set([maskJobRoleArn])));
 */
export function asKeyServiceCaller(event: unknown, systemRoleArns: ReadonlySet<string>): unknown {
  const parsed = IamFunctionUrlRequestSchema.safeParse(event);
  if (!parsed.success) return event;
  const request = parsed.data;
  const roleArn = roleArnOfAssumedRole(request.requestContext.authorizer.iam.userArn);
  const role = roleArn !== undefined && systemRoleArns.has(roleArn) ? 'SYSTEM' : '';
  const sub = `${IAM_PRINCIPAL_PREFIX}${roleArn ?? 'unknown-identity'}`;
  return { ...request, requestContext: { ...request.requestContext, authorizer: { jwt: { claims: { sub, 'cur:role': role }, scopes: null } } } };
}
