import { Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { acknowledgeNagFinding, acknowledgeNagFindings } from './nag-acknowledgement';

/**
 * Acknowledges the cdk-nag findings on CDK's BucketDeployment handler: one singleton function at the stack's root
 * (`Custom::CDKBucketDeployment...`) with its role, shared by every BucketDeployment of the stack. Its policy is
 * aws-cdk-lib's: the basic execution policy, object wildcards on the CDK asset bucket and on the destination, and a
 * runtime that follows aws-cdk-lib's releases.
 *
 * @param scope - any construct of the stack whose handler it is
 * @param destinationObjects - the IAM5 finding's resource for the destination's objects, e.g. `<Bucket1234.Arn>/*` or an ARN `/*`
 * @param copies - what the handler copies, and where to: the reason's specific part
 */
export function acknowledgeBucketDeploymentHandler(scope: IConstruct, destinationObjects: string, copies: string): void {
  const stack = Stack.of(scope);
  // The asset bucket's ARN names the partition as the stack knows it: a literal in a stage, else CloudFormation's.
  const assetPartition = Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
  const assetObjects = `arn:${assetPartition}:s3:::cdk-${stack.synthesizer.bootstrapQualifier ?? 'hnb659fds'}-assets-${stack.account}-${stack.region}/*`;
  for (const handler of stack.node.children.filter((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'))) {
    acknowledgeNagFinding(handler, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', "CDK's BucketDeployment handler writes only its own logs with the basic execution policy");
    acknowledgeNagFindings(
      handler,
      [
        'AwsSolutions-IAM5[Action::s3:GetBucket*]',
        'AwsSolutions-IAM5[Action::s3:GetObject*]',
        'AwsSolutions-IAM5[Action::s3:List*]',
        'AwsSolutions-IAM5[Action::s3:Abort*]',
        'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
        `AwsSolutions-IAM5[Resource::${assetObjects}]`,
        `AwsSolutions-IAM5[Resource::${destinationObjects}]`,
      ],
      `CDK's BucketDeployment handler copies ${copies}, and nowhere else`,
    );
    acknowledgeNagFinding(handler, 'AwsSolutions-L1', "CDK's BucketDeployment handler runtime is chosen by aws-cdk-lib and follows its releases");
  }
}
