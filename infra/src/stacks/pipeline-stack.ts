import { Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { OrchestrationNames } from '../config/pipeline-dag';
import type { PlatformNames } from '../config/platform-names';
import type { StageConfig } from '../config/stage-config';
import { DataQualityRulesets } from '../constructs/data-quality-rulesets';
import { GlueJobSecurity } from '../constructs/glue-job-security';
import { GluePipelineJobs } from '../constructs/glue-pipeline-jobs';

/** The Airflow variable the DAG's DQ gates read the evaluation role's ARN from. */
export const DQ_ROLE_VARIABLE = 'cur_glue_dq_role_arn';

/** Properties of {@link PipelineStack}. */
export interface PipelineStackProps extends StackProps {
  readonly config: StageConfig;
  readonly names: PlatformNames;
}

/**
 * The pipeline on Glue (issue 13): the Glue 5.1 jobs `cur-<stage>-<step>` the MWAA DAG starts, their security
 * configuration and roles, and the Glue Data Quality rulesets its gates evaluate. Deployed after the platform stack,
 * whose buckets, catalog tables and SYSTEM role it names, and whose lake key ARN it reads from SSM; and after the
 * masking-key-service's stack, whose IAM-authorised function URL the mask job calls (read from SSM).
 */
export class PipelineStack extends Stack {
  public readonly security: GlueJobSecurity;
  public readonly jobs: GluePipelineJobs;
  public readonly dataQuality: DataQualityRulesets;
  public readonly dataQualityRoleVariable: ssm.StringParameter;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, { description: `CUR ${props.config.stage}: the pipeline's Glue 5.1 jobs and Glue Data Quality rulesets`, ...props });
    const { config, names } = props;
    const lakeKeyArn = ssm.StringParameter.valueForStringParameter(this, names.keyArnParameterName('lake'));
    this.security = new GlueJobSecurity(this, 'Security', { names, lakeKeyArn });
    // Resolved when this stack deploys, from the masking-key-service's stack (no CloudFormation reference between them).
    const keyServiceUrl = ssm.StringParameter.valueForStringParameter(this, names.functionUrlParameterName('masking-key-service'));
    this.jobs = new GluePipelineJobs(this, 'Jobs', { names, config, security: this.security, lakeKeyArn, keyServiceUrl });
    this.dataQuality = new DataQualityRulesets(this, 'DataQuality', { names, lakeKeyArn, logsKeyArn: this.security.logsKey.keyArn });
    // The DAG's DQ gates pass this role to Glue; MWAA reads Airflow variables from SSM (its secrets backend).
    this.dataQualityRoleVariable = new ssm.StringParameter(this, 'DataQualityRoleVariable', {
      parameterName: `${new OrchestrationNames(names).variablesPrefix}/${DQ_ROLE_VARIABLE}`,
      description: 'The role Glue Data Quality evaluations of the pipeline run as (Airflow variable of the DAG)',
      stringValue: this.dataQuality.role.roleArn,
    });
  }
}
