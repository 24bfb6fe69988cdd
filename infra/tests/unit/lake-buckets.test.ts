import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUCKET_KEYS, BUCKET_NAMES } from '../../src/config/platform-names';
import { MINIMUM_TLS_VERSION, VERSIONED_BUCKETS } from '../../src/constructs/lake-buckets';
import type { SynthesizedStage } from '../helpers/synth-stage';
import { logicalIdOf, synthStage } from '../helpers/synth-stage';
import type { CfnResourceJson, StatementJson } from '../helpers/template-queries';
import { props, resourcesOfType } from '../helpers/template-queries';

interface BucketProps {
  BucketName: string;
  BucketEncryption?: { ServerSideEncryptionConfiguration: { ServerSideEncryptionByDefault: Record<string, unknown>; BucketKeyEnabled?: boolean }[] };
  PublicAccessBlockConfiguration?: Record<string, boolean>;
  VersioningConfiguration?: { Status: string };
  LoggingConfiguration?: { DestinationBucketName: unknown; LogFilePrefix: string };
  LifecycleConfiguration?: { Rules: { Id: string; ExpirationInDays?: number; Status: string }[] };
  ObjectLockEnabled?: boolean;
  ObjectLockConfiguration?: { ObjectLockEnabled: string; Rule: { DefaultRetention: { Mode: string; Days: number } } };
  OwnershipControls?: { Rules: { ObjectOwnership: string }[] };
}

describe('Construct: LakeBuckets', () => {
  let synth: SynthesizedStage;
  let buckets: Record<string, CfnResourceJson>;
  const byName = (name: string): BucketProps => {
    const found = Object.values(buckets).map((bucket) => props<BucketProps>(bucket)).find((bucket) => bucket.BucketName === name);
    if (!found) throw new Error(`no bucket ${name}`);
    return found;
  };
  beforeAll(() => {
    synth = synthStage();
    buckets = resourcesOfType(synth.template('platform'), 'AWS::S3::Bucket');
  });
  afterAll(() => synth.dispose());

  it('creates a bucket per zone, quarantine and system, named as the runtime addresses them, plus the access-log bucket', () => {
    const names = Object.values(buckets).map((bucket) => props<BucketProps>(bucket).BucketName).sort();

    expect(names).toEqual([...BUCKET_NAMES.map((bucket) => `cur-dev-${bucket}`), 'cur-dev-access-logs'].sort());
  });

  it('blocks public access and disables ACLs on every bucket', () => {
    for (const bucket of Object.values(buckets).map((resource) => props<BucketProps>(resource))) {
      expect(bucket.PublicAccessBlockConfiguration, bucket.BucketName).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.OwnershipControls?.Rules, bucket.BucketName).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
    }
  });

  it('encrypts every data bucket with SSE-KMS under its sensitivity’s key, with a bucket key', () => {
    const keys = synth.stage.platform.keys.keys;
    for (const bucket of BUCKET_NAMES) {
      const [rule] = byName(`cur-dev-${bucket}`).BucketEncryption?.ServerSideEncryptionConfiguration ?? [];

      expect(rule?.BucketKeyEnabled, bucket).toBe(true);
      expect(rule?.ServerSideEncryptionByDefault, bucket).toEqual({
        SSEAlgorithm: 'aws:kms',
        KMSMasterKeyID: { 'Fn::GetAtt': [logicalIdOf(keys[BUCKET_KEYS[bucket]]), 'Arn'] },
      });
    }
  });

  it('encrypts the access-log bucket with SSE-S3, the only encryption log delivery supports', () => {
    expect(byName('cur-dev-access-logs').BucketEncryption?.ServerSideEncryptionConfiguration).toEqual([
      { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
    ]);
  });

  it('denies every request without TLS, or with TLS below 1.2, on every bucket and its objects', () => {
    const policies = resourcesOfType(synth.template('platform'), 'AWS::S3::BucketPolicy');
    const bucketIds = Object.keys(buckets);
    const policyFor = (bucketId: string): StatementJson[] => {
      const policy = Object.values(policies).find((candidate) => JSON.stringify(props(candidate)['Bucket']) === JSON.stringify({ Ref: bucketId }));
      return (props<{ PolicyDocument: { Statement: StatementJson[] } }>(policy ?? { Type: '' }).PolicyDocument?.Statement ?? []);
    };
    const bothLevels = (bucketId: string): unknown => [
      { 'Fn::GetAtt': [bucketId, 'Arn'] },
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
    ];

    expect(Object.keys(policies)).toHaveLength(bucketIds.length);
    for (const bucketId of bucketIds) {
      const statements = policyFor(bucketId);
      expect(statements, bucketId).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Principal: { AWS: '*' },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          Resource: bothLevels(bucketId),
        }),
      );
      expect(statements, bucketId).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { NumericLessThan: { 's3:TlsVersion': MINIMUM_TLS_VERSION } },
          Resource: bothLevels(bucketId),
        }),
      );
    }
  });

  it('logs access to every data bucket into the access-log bucket, one prefix per bucket', () => {
    const accessLogsId = logicalIdOf(synth.stage.platform.buckets.accessLogs);
    for (const bucket of BUCKET_NAMES) {
      expect(byName(`cur-dev-${bucket}`).LoggingConfiguration, bucket).toEqual({
        DestinationBucketName: { Ref: accessLogsId },
        LogFilePrefix: `${bucket}/`,
      });
    }
  });

  it('versions raw and every later zone, quarantine and system, but not landing', () => {
    for (const bucket of BUCKET_NAMES) {
      const expected = VERSIONED_BUCKETS.includes(bucket) ? { Status: 'Enabled' } : undefined;
      expect(byName(`cur-dev-${bucket}`).VersioningConfiguration, bucket).toEqual(expected);
    }
    expect(VERSIONED_BUCKETS).toEqual(expect.arrayContaining(['raw', 'transformed', 'consumption', 'mart']));
  });

  it('expires landing objects after the configured 7 days', () => {
    expect(synth.config.retention.landingExpiryDays).toBe(7);
    expect(byName('cur-dev-landing').LifecycleConfiguration?.Rules).toContainEqual(
      expect.objectContaining({ Id: 'expire-landing-objects', ExpirationInDays: 7, Status: 'Enabled' }),
    );
    for (const bucket of BUCKET_NAMES.filter((name) => name !== 'landing')) {
      const rules = byName(`cur-dev-${bucket}`).LifecycleConfiguration?.Rules ?? [];
      expect(rules.some((rule) => rule.ExpirationInDays !== undefined), bucket).toBe(false);
    }
  });

  it('locks raw objects in governance mode for the configured retention', () => {
    const raw = byName('cur-dev-raw');

    expect(raw.ObjectLockEnabled).toBe(true);
    expect(raw.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: synth.config.retention.rawObjectLockDays } },
    });
  });

  it('retains every bucket when the stack is deleted', () => {
    synth.template('platform').allResources('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});
