import { describeAwsSolutionsAudit } from '../helpers/nag';

describeAwsSolutionsAudit('PlatformStack', (synth) => {
  synth.template('platform');
  return synth.stage.platform;
});
