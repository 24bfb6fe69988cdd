import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { PlatformNames } from '../config/platform-names';
import { acknowledgeNagFindings } from '../core/nag-acknowledgement';
import { KEY_USE_ACTIONS } from './lake-keys';

/** Where a training job's input channel is staged in the system bucket (the DS view, written by its launcher). */
export const MODEL_CHANNEL_PREFIX = 'model-history/channels/';

/** Where SageMaker writes each job's `model.tar.gz` and `output.tar.gz` (the job's `OutputDataConfig`). */
export const MODEL_ARTEFACT_PREFIX = 'model-history/artefacts/';

/** The scikit-learn framework image the job runs: 1.4-2, whose scikit-learn 1.4.2 libs/model-training pins. */
export const SKLEARN_IMAGE_TAG = '1.4-2-cpu-py3';

/**
 * The ECR registry account of SageMaker's scikit-learn framework images, by region of the `aws` partition, as the
 * SageMaker Python SDK publishes it (`src/sagemaker/image_uri_config/sklearn.json`, `training`: one account per
 * region for every version). The China, GovCloud and ISO partitions use other registry domains and are not listed;
 * a region not listed is refused at synth rather than guessed. That 1.4-2 is served in each is verified on paper.
 */
export const SKLEARN_IMAGE_ACCOUNTS: Readonly<Record<string, string>> = {
  'af-south-1': '510948584623',
  'ap-east-1': '651117190479',
  'ap-northeast-1': '354813040037',
  'ap-northeast-2': '366743142698',
  'ap-northeast-3': '867004704886',
  'ap-south-1': '720646828776',
  'ap-south-2': '628508329040',
  'ap-southeast-1': '121021644041',
  'ap-southeast-2': '783357654285',
  'ap-southeast-3': '951798379941',
  'ap-southeast-4': '106583098589',
  'ca-central-1': '341280168497',
  'eu-central-1': '492215442770',
  'eu-central-2': '680994064768',
  'eu-north-1': '662702820516',
  'eu-south-1': '978288397137',
  'eu-south-2': '104374241257',
  'eu-west-1': '141502667606',
  'eu-west-2': '764974769150',
  'eu-west-3': '659782779980',
  'me-central-1': '272398656194',
  'me-south-1': '801668240914',
  'sa-east-1': '737474898029',
  'us-east-1': '683313688378',
  'us-east-2': '257758044811',
  'us-west-1': '746614075791',
  'us-west-2': '246618743249',
};

/** The scikit-learn training image URI of a region. @throws Error naming the region when it has none listed */
export function sklearnTrainingImage(region: string): string {
  const account = SKLEARN_IMAGE_ACCOUNTS[region];
  if (account === undefined) throw new Error(`no SageMaker scikit-learn image account is known for region ${region}: add it to SKLEARN_IMAGE_ACCOUNTS`);
  return `${account}.dkr.ecr.${region}.amazonaws.com/sagemaker-scikit-learn:${SKLEARN_IMAGE_TAG}`;
}

/** Properties of {@link SageMakerTraining}. */
export interface SageMakerTrainingProps {
  readonly names: PlatformNames;
  /** The lake key's ARN (the system bucket's objects are encrypted with it). */
  readonly lakeKeyArn: string;
}

/**
 * The SageMaker training jobs' execution role, `cur-<stage>-sagemaker-training`: it reads only the staged channel
 * (`system/model-history/channels/`, the DS role's view that the launcher unloads through Lake Formation) and the
 * training code, writes only the artefacts prefix, and uses the lake key for them; it has no grant on any zone
 * bucket or catalog table, so a job cannot read past what the DS view gave it. Logs and metrics go to SageMaker's
 * own log group and metric namespace.
 */
export class SageMakerTraining extends Construct {
  public readonly role: iam.Role;
  /** The image the jobs run in this stage's region. */
  public readonly trainingImage: string;

  constructor(scope: Construct, id: string, props: SageMakerTrainingProps) {
    super(scope, id);
    const { names } = props;
    this.trainingImage = sklearnTrainingImage(names.region);
    const system = names.bucketArn('system');
    this.role = new iam.Role(this, 'Role', {
      roleName: `${names.resourcePrefix}-sagemaker-training`,
      description: `CUR ${names.stage}: SageMaker training jobs read their staged DS-view channel and write model artefacts`,
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': names.account } },
      }),
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListStagedPrefixes',
        actions: ['s3:ListBucket'],
        resources: [system],
        conditions: { StringLike: { 's3:prefix': [`${MODEL_CHANNEL_PREFIX}*`] } },
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({ sid: 'ReadChannels', actions: ['s3:GetObject'], resources: [`${system}/${MODEL_CHANNEL_PREFIX}*`] }),
    );
    this.role.addToPolicy(new iam.PolicyStatement({ sid: 'WriteArtefacts', actions: ['s3:PutObject'], resources: [`${system}/${MODEL_ARTEFACT_PREFIX}*`] }));
    this.role.addToPolicy(new iam.PolicyStatement({ sid: 'UseLakeKey', actions: [...KEY_USE_ACTIONS], resources: [props.lakeKeyArn] }));
    const logGroup = `arn:${names.partition}:logs:${names.region}:${names.account}:log-group:/aws/sagemaker/TrainingJobs`;
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'TrainingJobLogs',
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [logGroup, `${logGroup}:log-stream:*`],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'TrainingJobMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': '/aws/sagemaker/TrainingJobs' } },
      }),
    );
    acknowledgeNagFindings(
      this.role,
      [
        `AwsSolutions-IAM5[Resource::${system}/${MODEL_CHANNEL_PREFIX}*]`,
        `AwsSolutions-IAM5[Resource::${system}/${MODEL_ARTEFACT_PREFIX}*]`,
        `AwsSolutions-IAM5[Resource::${logGroup}:log-stream:*]`,
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
      ],
      'Each job has its own channel and artefact keys and log stream under these fixed prefixes; PutMetricData has no resource and is held to SageMaker\'s namespace by condition; the KMS variants are needed for SSE-KMS objects, on the lake key only.',
    );
  }
}
