import { RemovalPolicy } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { PlatformNames } from '../config/platform-names';
import { glueSecurityConfigurationName } from '../config/glue-jobs';

/** The log groups Glue jobs write to (continuous logging included): `/aws-glue/...`. */
export const glueLogGroupsArn = (names: PlatformNames): string => `arn:${names.partition}:logs:${names.region}:${names.account}:log-group:/aws-glue/*`;

/** What a job role needs of the logs key: CloudWatch associates it with the job's log groups, bookmarks use it. */
export const GLUE_LOGS_KEY_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'] as const;

/** Properties of {@link GlueJobSecurity}. */
export interface GlueJobSecurityProps {
  readonly names: PlatformNames;
  /** The lake key's ARN: every object a pipeline job writes is SSE-KMS under it (raw, transformed, consumption, mart). */
  readonly lakeKeyArn: string;
}

/**
 * The security configuration of the pipeline's Glue jobs: S3 writes SSE-KMS under the lake key, CloudWatch logs
 * (continuous logging included) and job bookmarks encrypted under a key of their own, which CloudWatch Logs may use
 * only for the `/aws-glue/` log groups of this account and region.
 */
export class GlueJobSecurity extends Construct {
  public readonly configuration: glue.CfnSecurityConfiguration;
  /** The key of the jobs' logs and bookmarks. */
  public readonly logsKey: kms.Key;
  public readonly name: string;

  constructor(scope: Construct, id: string, props: GlueJobSecurityProps) {
    super(scope, id);
    const { names } = props;
    this.logsKey = new kms.Key(this, 'LogsKey', {
      alias: `alias/${names.resourcePrefix}/glue-logs`,
      description: `CUR ${names.stage}: logs and bookmarks of the pipeline's Glue jobs`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.logsKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchLogsEncryptsGlueLogGroups',
        principals: [new iam.ServicePrincipal(`logs.${names.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': glueLogGroupsArn(names) } },
      }),
    );
    this.name = glueSecurityConfigurationName(names);
    this.configuration = new glue.CfnSecurityConfiguration(this, 'Configuration', {
      name: this.name,
      encryptionConfiguration: {
        s3Encryptions: [{ s3EncryptionMode: 'SSE-KMS', kmsKeyArn: props.lakeKeyArn }],
        cloudWatchEncryption: { cloudWatchEncryptionMode: 'SSE-KMS', kmsKeyArn: this.logsKey.keyArn },
        jobBookmarksEncryption: { jobBookmarksEncryptionMode: 'CSE-KMS', kmsKeyArn: this.logsKey.keyArn },
      },
    });
  }
}
