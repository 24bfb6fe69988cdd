import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { BucketName, KeyPurpose, PlatformNames } from '../config/platform-names';
import { BUCKET_KEYS, BUCKET_NAMES } from '../config/platform-names';

/** Buckets whose objects are versioned: every zone from raw on, and the buckets that must lose nothing. */
export const VERSIONED_BUCKETS: readonly BucketName[] = ['raw', 'transformed', 'consumption', 'mart', 'quarantine', 'system'];

/** The minimum TLS version every bucket policy demands. */
export const MINIMUM_TLS_VERSION = 1.2;

/** Incomplete multipart uploads are aborted after this many days. */
export const ABORT_INCOMPLETE_UPLOAD_DAYS = 1;

/** Properties of {@link LakeBuckets}. */
export interface LakeBucketsProps {
  readonly names: PlatformNames;
  /** The key of each purpose; each bucket uses the key {@link BUCKET_KEYS} names. */
  readonly keys: Readonly<Record<KeyPurpose, kms.IKey>>;
  /** Landing objects expire after this many days. */
  readonly landingExpiryDays: number;
  /** Raw objects are locked (governance mode) for this many days. */
  readonly rawObjectLockDays: number;
  /** Non-current versions expire after this many days. */
  readonly noncurrentVersionDays: number;
  /** Access logs expire after this many days. */
  readonly accessLogDays: number;
  /**
   * Removal policy of every bucket.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The lake's buckets: one per zone (landing, raw, transformed, consumption, mart), quarantine and system, named as
 * the runtime expects, plus the server access log bucket. Every bucket blocks public access, disables ACLs, denies
 * non-TLS and TLS < 1.2 requests, and logs access; every data bucket uses SSE-KMS with a bucket key.
 */
export class LakeBuckets extends Construct {
  /** Every runtime bucket by name. */
  public readonly buckets: Readonly<Record<BucketName, s3.Bucket>>;
  /** Where every bucket's server access logs go. */
  public readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: LakeBucketsProps) {
    super(scope, id);
    const { names } = props;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      bucketName: names.accessLogBucketName,
      // Server access logging delivers only to buckets encrypted with SSE-S3.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: MINIMUM_TLS_VERSION,
      versioned: true,
      lifecycleRules: [
        { id: 'expire-access-logs', expiration: Duration.days(props.accessLogDays), noncurrentVersionExpiration: Duration.days(1) },
      ],
      removalPolicy,
    });

    const buckets = {} as Record<BucketName, s3.Bucket>;
    for (const bucket of BUCKET_NAMES) {
      const versioned = VERSIONED_BUCKETS.includes(bucket);
      buckets[bucket] = new s3.Bucket(this, pascal(bucket), {
        bucketName: names.bucketName(bucket),
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: props.keys[BUCKET_KEYS[bucket]],
        bucketKeyEnabled: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        enforceSSL: true,
        minimumTLSVersion: MINIMUM_TLS_VERSION,
        versioned,
        serverAccessLogsBucket: this.accessLogs,
        serverAccessLogsPrefix: `${bucket}/`,
        lifecycleRules: lifecycleRules(bucket, versioned, props),
        ...(bucket === 'raw'
          ? {
              objectLockEnabled: true,
              objectLockDefaultRetention: s3.ObjectLockRetention.governance(Duration.days(props.rawObjectLockDays)),
            }
          : {}),
        removalPolicy,
      });
    }
    this.buckets = buckets;
  }
}

function lifecycleRules(bucket: BucketName, versioned: boolean, props: LakeBucketsProps): s3.LifecycleRule[] {
  const rules: s3.LifecycleRule[] = [
    { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(ABORT_INCOMPLETE_UPLOAD_DAYS) },
  ];
  if (bucket === 'landing') {
    // Plaintext extracts must not outlive their processing window.
    rules.push({ id: 'expire-landing-objects', expiration: Duration.days(props.landingExpiryDays) });
  }
  if (versioned) {
    rules.push({ id: 'expire-noncurrent-versions', noncurrentVersionExpiration: Duration.days(props.noncurrentVersionDays) });
  }
  return rules;
}

function pascal(value: string): string {
  return value.replace(/(^|-)([a-z])/g, (_match, _dash: string, letter: string) => letter.toUpperCase());
}
