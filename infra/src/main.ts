import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DEFAULT_STAGE_NAME, loadStageConfig } from './config/stage-config';
import { CurStage } from './stages/cur-stage';

/**
 * The CDK app: `cdk synth -c stage=<name>` (default `dev`) synthesizes that stage from `infra/config/<name>.json`.
 * The AwsSolutions pack runs on every synthesis; an unacknowledged finding fails it.
 */
const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
const stageName: unknown = app.node.tryGetContext('stage');
const config = loadStageConfig(typeof stageName === 'string' ? stageName : DEFAULT_STAGE_NAME);
new CurStage(app, config.stage, { config });
