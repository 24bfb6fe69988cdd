import { describe, expect, it } from 'vitest';
import { loadPipelineTriggerConfig } from '../../src/config';

describe('loadPipelineTriggerConfig', () => {
  it('needs the MWAA environment, and says that locally cur run runs the pipeline instead', () => {
    expect(() => loadPipelineTriggerConfig({})).toThrow(/CUR_MWAA_ENVIRONMENT required .*cur run/);
  });

  it('starts cur_pipeline on the named environment by default', () => {
    expect(loadPipelineTriggerConfig({ CUR_MWAA_ENVIRONMENT: 'cur-dev-pipeline' })).toEqual({ environmentName: 'cur-dev-pipeline', dagId: 'cur_pipeline' });
  });

  it('names every malformed variable', () => {
    expect(() => loadPipelineTriggerConfig({ CUR_MWAA_ENVIRONMENT: '1-bad', CUR_MWAA_ENDPOINT: 'ftp://x' })).toThrow(/CUR_MWAA_ENVIRONMENT: .*; CUR_MWAA_ENDPOINT: /);
  });
});
