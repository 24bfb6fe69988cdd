import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** A reason shorter than this cannot say why the finding is acceptable here. */
export const MIN_NAG_REASON_LENGTH = 30;

/** A rule id (`AwsSolutions-IAM4`) or one finding of a rule (`AwsSolutions-IAM5[Resource::*]`). */
const NAG_RULE_ID = /^AwsSolutions-[A-Z0-9]+\d(\[.+\])?$/;

/**
 * Acknowledges one cdk-nag finding on a construct and its children, with a reason that must say why. cdk-nag 3 reads
 * these through CDK's `Validations` metadata; there is no bulk form, each finding is acknowledged on its own.
 *
 * @param scope - the construct (and its children) the acknowledgement covers; keep it as narrow as possible
 * @param id - the rule or finding id
 * @param reason - why the finding is acceptable here, at least {@link MIN_NAG_REASON_LENGTH} characters
 * @throws Error when the id is not an AwsSolutions rule or the reason is too short to be specific
 * @example
 * acknowledgeNagFinding(role, 'AwsSolutions-IAM5[Resource::*]', 'X-Ray PutTraceSegments has no resource-level permissions');
 */
export function acknowledgeNagFinding(scope: IConstruct, id: string, reason: string): void {
  if (!NAG_RULE_ID.test(id)) {
    throw new Error(`'${id}' is not an AwsSolutions rule or finding id (at ${scope.node.path})`);
  }
  if (reason.trim().length < MIN_NAG_REASON_LENGTH) {
    throw new Error(`the acknowledgement of ${id} at ${scope.node.path} needs a specific reason of at least ${MIN_NAG_REASON_LENGTH} characters`);
  }
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Acknowledges several findings that share one reason (e.g. the object-level wildcards of one role's bucket access).
 *
 * @param scope - the construct the acknowledgements cover
 * @param ids - the finding ids
 * @param reason - why every one of them is acceptable
 */
export function acknowledgeNagFindings(scope: IConstruct, ids: readonly string[], reason: string): void {
  for (const id of new Set(ids)) acknowledgeNagFinding(scope, id, reason);
}
