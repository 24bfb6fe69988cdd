import { describeAwsSolutionsAudit } from '../helpers/nag';

// The whole stage synthesizes (every asset staged): slow on a busy machine, as app-stacks' whole-stage test.
describeAwsSolutionsAudit(
  'PipelineStack',
  (synth) => {
    synth.app.synth();
    return synth.stage.pipeline;
  },
  180_000,
);
