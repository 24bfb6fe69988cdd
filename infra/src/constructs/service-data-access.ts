import { PLATFORM_EVENT_SOURCE } from '@cur/contracts';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { AppDataAccess, PrincipalClass } from '../config/apps';
import type { KeyPurpose, PlatformNames } from '../config/platform-names';
import { BUCKET_KEYS, SYSTEM_ONLY_KEY_PURPOSES, TABLE_KEYS, TOPIC_KEY } from '../config/platform-names';
import { acknowledgeNagFinding, acknowledgeNagFindings } from '../core/nag-acknowledgement';

/** DynamoDB read actions of the platform's key-value port (libs/platform `KeyValueStore`). */
export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:DescribeTable'] as const;

/** DynamoDB write actions of the key-value port. */
export const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'] as const;

/** KMS actions to read data under a key. */
export const KEY_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'] as const;

/** KMS actions to write data under a key (S3 SSE-KMS, DynamoDB, SNS). */
export const KEY_WRITE_ACTIONS = ['kms:Encrypt', 'kms:GenerateDataKey'] as const;

/** Properties of {@link ServiceDataAccess}. */
export interface ServiceDataAccessProps {
  readonly names: PlatformNames;
  readonly role: iam.IRole;
  readonly principalClass: PrincipalClass;
  readonly access: AppDataAccess;
  /** Resolves a key's ARN (in app stacks: from SSM at deploy time); called only for keys the access needs. */
  readonly keyArn: (purpose: KeyPurpose) => string;
}

/**
 * One app's data permissions as a single policy, derived from its declared {@link AppDataAccess}: exact buckets
 * (and prefixes), tables, topics, and exactly the keys that encrypt them. A `service` principal that declares
 * access to data under a SYSTEM-only key is a programming error and fails synthesis: the key policy would refuse it
 * at run time anyway.
 */
export class ServiceDataAccess extends Construct {
  /** Undefined for an app that declares no data access (a newly generated one): IAM refuses a policy with no statement. */
  public readonly policy: iam.Policy | undefined;
  /** The keys this app reads or writes under, and how. */
  public readonly keyUse: ReadonlyMap<KeyPurpose, 'read' | 'write'>;

  constructor(scope: Construct, id: string, props: ServiceDataAccessProps) {
    super(scope, id);
    const { names, access } = props;
    const statements: iam.PolicyStatement[] = [];
    const objectWildcards: string[] = [];
    const keyUse = new Map<KeyPurpose, 'read' | 'write'>();
    const useKey = (purpose: KeyPurpose, mode: 'read' | 'write'): void => {
      if (keyUse.get(purpose) !== 'write') keyUse.set(purpose, mode);
    };

    const readBuckets = access.readBuckets ?? [];
    const writeBuckets = access.writeBuckets ?? [];
    const listed = [...new Set([...readBuckets, ...writeBuckets].map(({ bucket }) => bucket))];
    if (listed.length > 0) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'ListBuckets',
          actions: ['s3:ListBucket'],
          resources: listed.map((bucket) => names.bucketArn(bucket)),
        }),
      );
    }
    const objects = (entries: typeof readBuckets): string[] =>
      entries.map(({ bucket, prefix }) => `${names.bucketArn(bucket)}/${prefix ?? ''}*`);
    if (readBuckets.length > 0) {
      const resources = objects(readBuckets);
      objectWildcards.push(...resources);
      statements.push(new iam.PolicyStatement({ sid: 'ReadObjects', actions: ['s3:GetObject'], resources }));
      for (const { bucket } of readBuckets) useKey(BUCKET_KEYS[bucket], 'read');
    }
    if (writeBuckets.length > 0) {
      const resources = objects(writeBuckets);
      objectWildcards.push(...resources);
      statements.push(new iam.PolicyStatement({ sid: 'WriteObjects', actions: ['s3:PutObject', 's3:DeleteObject'], resources }));
      for (const { bucket } of writeBuckets) useKey(BUCKET_KEYS[bucket], 'write');
    }

    const readObjects = access.readObjects ?? [];
    if (readObjects.length > 0) {
      const resources = readObjects.map(({ bucket, keyPattern }) => `${names.bucketArn(bucket)}/${keyPattern}`);
      objectWildcards.push(...resources.filter((resource) => resource.includes('*')));
      statements.push(new iam.PolicyStatement({ sid: 'ReadNamedObjects', actions: ['s3:GetObject'], resources }));
      for (const { bucket } of readObjects) useKey(BUCKET_KEYS[bucket], 'read');
    }
    const putObjects = access.putObjects ?? [];
    if (putObjects.length > 0) {
      const resources = putObjects.map(({ bucket, prefix }) => `${names.bucketArn(bucket)}/${prefix}*`);
      objectWildcards.push(...resources);
      statements.push(new iam.PolicyStatement({ sid: 'PutObjects', actions: ['s3:PutObject'], resources }));
      for (const { bucket } of putObjects) useKey(BUCKET_KEYS[bucket], 'write');
    }

    const readTables = access.readTables ?? [];
    const writeTables = access.writeTables ?? [];
    if (readTables.length > 0) {
      statements.push(
        new iam.PolicyStatement({ sid: 'ReadTables', actions: [...TABLE_READ_ACTIONS], resources: readTables.map((t) => names.tableArn(t)) }),
      );
      for (const table of readTables) useKey(TABLE_KEYS[table], 'read');
    }
    if (writeTables.length > 0) {
      statements.push(
        new iam.PolicyStatement({ sid: 'WriteTables', actions: [...TABLE_WRITE_ACTIONS], resources: writeTables.map((t) => names.tableArn(t)) }),
      );
      for (const table of writeTables) useKey(TABLE_KEYS[table], 'write');
    }

    const topics = access.publishTopics ?? [];
    if (topics.length > 0) {
      statements.push(new iam.PolicyStatement({ sid: 'PublishTopics', actions: ['sns:Publish'], resources: topics.map((t) => names.topicArn(t)) }));
      useKey(TOPIC_KEY, 'write');
    }

    if (access.putPlatformEvents) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'PutPlatformEvents',
          actions: ['events:PutEvents'],
          resources: [names.eventBusArn],
          conditions: { StringEquals: { 'events:source': PLATFORM_EVENT_SOURCE } },
        }),
      );
    }

    if (access.readDataQualityResults) {
      // GetDataQualityResult is scoped to this account's data quality results of the stage's region.
      statements.push(
        new iam.PolicyStatement({
          sid: 'ReadDataQualityResults',
          actions: ['glue:GetDataQualityResult'],
          resources: [`arn:${names.partition}:glue:${names.region}:${names.account}:dataQualityResult/*`],
        }),
      );
    }

    if (access.useKeysServiceKey) useKey('keys', 'write');

    for (const [purpose, mode] of keyUse) {
      if (props.principalClass !== 'system' && SYSTEM_ONLY_KEY_PURPOSES.includes(purpose)) {
        throw new Error(`${scope.node.path}: a ${props.principalClass} principal cannot use the SYSTEM-only ${purpose} key`);
      }
      statements.push(
        new iam.PolicyStatement({
          sid: `${mode === 'write' ? 'ReadWrite' : 'Read'}Under${purpose.charAt(0).toUpperCase()}${purpose.slice(1)}Key`,
          actions: mode === 'write' ? [...KEY_READ_ACTIONS, ...KEY_WRITE_ACTIONS] : [...KEY_READ_ACTIONS],
          resources: [props.keyArn(purpose)],
        }),
      );
    }
    this.keyUse = keyUse;

    if (statements.length === 0) {
      this.policy = undefined;
      return;
    }
    this.policy = new iam.Policy(this, 'Policy', { statements });
    props.role.attachInlinePolicy(this.policy);
    acknowledgeNagFindings(
      this.policy,
      objectWildcards.map((resource) => `AwsSolutions-IAM5[Resource::${resource}]`),
      'Object keys are per batch and not known in advance; the grant is limited to the declared bucket and key prefix.',
    );
    if (access.readDataQualityResults) {
      acknowledgeNagFinding(
        this.policy,
        `AwsSolutions-IAM5[Resource::arn:${names.partition}:glue:${names.region}:${names.account}:dataQualityResult/*]`,
        'Result ids are made by Glue per evaluation and arrive in the event; reading is limited to data quality results of this account and region.',
      );
    }
  }
}
