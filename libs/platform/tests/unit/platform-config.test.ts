import { describe, expect, it } from 'vitest';
import { ConfigError, loadPlatformConfig } from '../../src/index';

describe('loadPlatformConfig', () => {
  it('defaults to local mode with state under .cur in the working directory', () => {
    const config = loadPlatformConfig({}, '/home/analyst/project');
    expect(config).toMatchObject({ mode: 'local', home: '/home/analyst/project/.cur', stage: 'dev', bucketPrefix: 'cur-dev', tablePrefix: 'cur-dev', logLevel: 'INFO' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('honours CUR_HOME, absolute or relative', () => {
    expect(loadPlatformConfig({ CUR_HOME: '/var/cur' }, '/x').home).toBe('/var/cur');
    expect(loadPlatformConfig({ CUR_HOME: 'state' }, '/x').home).toBe('/x/state');
  });

  it('derives names from the stage', () => {
    expect(loadPlatformConfig({ CUR_STAGE: 'uat' }).bucketPrefix).toBe('cur-uat');
  });

  it('lists every variable at fault in one error', () => {
    try {
      loadPlatformConfig({ CUR_MODE: 'cloud', CUR_STAGE: 'Prod!', CUR_DYNAMODB_ENDPOINT: 'not a url' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      for (const name of ['CUR_MODE', 'CUR_STAGE', 'CUR_DYNAMODB_ENDPOINT']) expect(message).toContain(name);
    }
  });

  it('requires the SNS topic prefix in AWS mode', () => {
    expect(() => loadPlatformConfig({ CUR_MODE: 'aws' })).toThrow(/CUR_TOPIC_ARN_PREFIX/);
    expect(loadPlatformConfig({ CUR_MODE: 'aws', CUR_TOPIC_ARN_PREFIX: 'arn:aws:sns:ap-northeast-1:123456789012:cur-dev' }).mode).toBe('aws');
  });
});
