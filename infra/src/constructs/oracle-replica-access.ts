import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeNagFinding } from '../core/nag-acknowledgement';

/** What the replicator does with its DMS task (libs/adapters-aws `DmsReplicationTaskRunner`). */
export const DMS_TASK_ACTIONS = ['dms:ModifyReplicationTask', 'dms:StartReplicationTask', 'dms:DescribeTableStatistics'] as const;

/** Properties of {@link OracleReplicaAccess}. */
export interface OracleReplicaAccessProps {
  readonly role: iam.IRole;
  /** The one DMS full-load task the replicator drives. */
  readonly dmsTaskArn: string;
  /** The replica owner's secret, as an IAM ARN pattern (`PlatformNames.secretArnPattern`: `??????`, never `*`). */
  readonly secretArnPattern: string;
}

/**
 * The replicator's permissions on the Oracle replica, beside its data access: drive the one DMS task (modify its
 * mappings, start it, read its table statistics), follow it, and read the replica owner's secret (through the
 * Parameters and Secrets extension, which calls Secrets Manager with the function's role). The secret is encrypted
 * with the lake key, which the role already reads under.
 */
export class OracleReplicaAccess extends Construct {
  public readonly policy: iam.Policy;

  constructor(scope: Construct, id: string, props: OracleReplicaAccessProps) {
    super(scope, id);
    this.policy = new iam.Policy(this, 'Policy', {
      statements: [
        new iam.PolicyStatement({ sid: 'DriveReplicationTask', actions: [...DMS_TASK_ACTIONS], resources: [props.dmsTaskArn] }),
        new iam.PolicyStatement({ sid: 'FollowReplicationTasks', actions: ['dms:DescribeReplicationTasks'], resources: ['*'] }),
        new iam.PolicyStatement({ sid: 'ReadReplicaOwnerSecret', actions: ['secretsmanager:GetSecretValue'], resources: [props.secretArnPattern] }),
      ],
    });
    props.role.attachInlinePolicy(this.policy);
    acknowledgeNagFinding(
      this.policy,
      'AwsSolutions-IAM5[Resource::*]',
      'dms:DescribeReplicationTasks has no resource-level permissions; the runner filters its call to the one task ARN.',
    );
  }
}
