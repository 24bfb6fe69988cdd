import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** Properties of {@link MwaaInvokeAccess}. */
export interface MwaaInvokeAccessProps {
  readonly role: iam.IRole;
  /** The Airflow role the calls run as in the environment: `arn:...:airflow:<region>:<account>:role/<environment>/<role>`. */
  readonly airflowRoleArn: string;
}

/**
 * Lets a function call MWAA's `InvokeRestApi` on one environment as one Airflow role. `User` may create DAG runs and
 * nothing administrative (no variables, connections, pools or users), which is all the pipeline-trigger does.
 */
export class MwaaInvokeAccess extends Construct {
  public readonly policy: iam.Policy;

  constructor(scope: Construct, id: string, props: MwaaInvokeAccessProps) {
    super(scope, id);
    this.policy = new iam.Policy(this, 'Policy', {
      statements: [new iam.PolicyStatement({ sid: 'TriggerDagRuns', actions: ['airflow:InvokeRestApi'], resources: [props.airflowRoleArn] })],
    });
    this.policy.attachToRole(props.role);
  }
}
