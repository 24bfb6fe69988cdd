import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { KeyPurpose, PlatformNames } from '../config/platform-names';
import { KEY_PURPOSES, SYSTEM_ONLY_KEY_PURPOSES } from '../config/platform-names';

/** How long a scheduled key deletion waits; the maximum, because data encrypted under a deleted key is lost. */
export const DEFAULT_KEY_PENDING_WINDOW = Duration.days(30);

/** Automatic rotation period of every key. */
export const DEFAULT_KEY_ROTATION_PERIOD = Duration.days(365);

/**
 * What the account (through IAM policies) may do with a SYSTEM-only key: look at it, keep it healthy, schedule or
 * cancel its deletion; never use it and never widen who may. Listed action by action, no wildcards: no `kms:Decrypt`,
 * `kms:Encrypt`, `kms:GenerateDataKey*` or `kms:ReEncrypt*`, and none of {@link KEY_POLICY_CHANGE_ACTIONS}.
 */
export const KEY_ADMIN_ACTIONS = [
  'kms:CreateAlias',
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListAliases',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:RotateKeyOnDemand',
  'kms:UpdateKeyDescription',
  'kms:RevokeGrant',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
] as const;

/**
 * What would let one administrator widen who may use a SYSTEM-only key: rewrite its policy, or move its alias (which
 * the masking-key-service wraps new data keys under) to a key they control. Only the principals of
 * {@link LakeKeysProps.keyPolicyAdminArns} hold these; `kms:CreateGrant`, the other way to widen, is held by nobody
 * but those principals, and only through DynamoDB for its tables.
 */
export const KEY_POLICY_CHANGE_ACTIONS = ['kms:PutKeyPolicy', 'kms:UpdateAlias', 'kms:DeleteAlias'] as const;

/** What a principal needs to read and write data under a key (S3 SSE-KMS, DynamoDB, SNS, envelope encryption). */
export const KEY_USE_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:DescribeKey'] as const;

/** Services that publish to the KMS-encrypted topics (alarms, rules) and so need the lake key. */
export const LAKE_KEY_SERVICE_PRINCIPALS = ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] as const;

/** Properties of {@link LakeKeys}. */
export interface LakeKeysProps {
  /** The stage's names: aliases, SSM parameter names and the SYSTEM principal pattern come from here. */
  readonly names: PlatformNames;
  /**
   * The exact ARNs of the only principals that may change a SYSTEM-only key's policy, grants or alias
   * ({@link KEY_POLICY_CHANGE_ACTIONS}): the CloudFormation execution role (the deploy path, a reviewed commit) and
   * the stage's break-glass roles. Must not be empty: KMS refuses a policy that locks out every policy change.
   */
  readonly keyPolicyAdminArns: readonly string[];
  /**
   * Removal policy of the keys.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * One customer-managed KMS key per sensitivity, rotation on, each with an alias and its ARN in SSM for the app stacks.
 *
 * - `landing` and `keys`: the key policy lets the account administer the key without using it, lets only the exact
 *   SYSTEM role ARNs use it, and lets only `keyPolicyAdminArns` change its policy, grants or alias, so no IAM policy
 *   elsewhere in the account can grant plaintext access and no single administrator can widen the policy. DynamoDB
 *   may create grants for the tables under the keys-service key, when one of `keyPolicyAdminArns` creates them.
 * - `lake`: masked data. The account may delegate use through IAM (Lake Formation's data access role, services),
 *   and CloudWatch and EventBridge may encrypt messages for the topics.
 */
export class LakeKeys extends Construct {
  /** Every key by purpose. */
  public readonly keys: Readonly<Record<KeyPurpose, kms.Key>>;

  constructor(scope: Construct, id: string, props: LakeKeysProps) {
    super(scope, id);
    const { names, keyPolicyAdminArns } = props;
    if (keyPolicyAdminArns.length === 0) throw new Error(`${this.node.path}: keyPolicyAdminArns must name at least the deploy role`);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const keys = {} as Record<KeyPurpose, kms.Key>;
    for (const purpose of KEY_PURPOSES) {
      const key = new kms.Key(this, `${capitalise(purpose)}Key`, {
        description: `CUR ${names.stage}: ${KEY_DESCRIPTIONS[purpose]}`,
        alias: names.keyAlias(purpose),
        enableKeyRotation: true,
        rotationPeriod: DEFAULT_KEY_ROTATION_PERIOD,
        pendingWindow: DEFAULT_KEY_PENDING_WINDOW,
        removalPolicy,
        policy: SYSTEM_ONLY_KEY_PURPOSES.includes(purpose) ? systemOnlyKeyPolicy(names, purpose, keyPolicyAdminArns) : lakeKeyPolicy(names),
      });
      new ssm.StringParameter(this, `${capitalise(purpose)}KeyArnParameter`, {
        parameterName: names.keyArnParameterName(purpose),
        description: `ARN of the ${purpose} key of CUR ${names.stage}, read by the app stacks at deploy time`,
        stringValue: key.keyArn,
      });
      keys[purpose] = key;
    }
    this.keys = keys;
  }
}

const KEY_DESCRIPTIONS: Readonly<Record<KeyPurpose, string>> = {
  landing: 'plaintext landing extracts and quarantined batches (SYSTEM only)',
  lake: 'masked lake zones, ledger, serving store and topics',
  keys: 'masking key material and the detokenization audit log (SYSTEM only)',
};

function accountRoot(names: PlatformNames): iam.ArnPrincipal {
  return new iam.ArnPrincipal(`arn:${names.partition}:iam::${names.account}:root`);
}

function systemOnlyKeyPolicy(names: PlatformNames, purpose: KeyPurpose, keyPolicyAdminArns: readonly string[]): iam.PolicyDocument {
  // Exact ARNs with StringEquals: no wildcard a newly created role could match.
  const onlyPrincipals = (arns: readonly string[]): Record<string, string[]> => ({ 'aws:PrincipalArn': [...arns] });
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'AccountAdministersKeyWithoutUsingIt',
        principals: [accountRoot(names)],
        actions: [...KEY_ADMIN_ACTIONS],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'OnlyDeployOrBreakGlassChangesKeyPolicy',
        principals: [accountRoot(names)],
        actions: [...KEY_POLICY_CHANGE_ACTIONS],
        resources: ['*'],
        conditions: { StringEquals: onlyPrincipals(keyPolicyAdminArns) },
      }),
      new iam.PolicyStatement({
        sid: 'OnlySystemPrincipalsUseKey',
        principals: [accountRoot(names)],
        actions: [...KEY_USE_ACTIONS],
        resources: ['*'],
        conditions: { StringEquals: onlyPrincipals(names.systemPrincipalArns) },
      }),
      // DynamoDB creates grants for the tables under the keys-service key, for whoever creates a table (the deploy
      // role); S3 (landing) needs none. No other grant can be made on a SYSTEM-only key.
      ...(purpose === 'keys'
        ? [
            new iam.PolicyStatement({
              sid: 'DynamoDbCreatesGrantsForTables',
              principals: [accountRoot(names)],
              actions: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
              resources: ['*'],
              conditions: {
                Bool: { 'kms:GrantIsForAWSResource': 'true' },
                StringEquals: { 'kms:ViaService': `dynamodb.${names.region}.amazonaws.com`, ...onlyPrincipals(keyPolicyAdminArns) },
              },
            }),
          ]
        : []),
    ],
  });
}

function lakeKeyPolicy(names: PlatformNames): iam.PolicyDocument {
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'AccountDelegatesThroughIam',
        principals: [accountRoot(names)],
        actions: ['kms:*'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'ServicesEncryptTopicMessages',
        principals: LAKE_KEY_SERVICE_PRINCIPALS.map((service) => new iam.ServicePrincipal(service)),
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': names.account } },
      }),
    ],
  });
}

function capitalise(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}
