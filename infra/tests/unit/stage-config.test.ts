import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HUMAN_ROLES } from '@cur/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIG_DIR } from '../../src/config/paths';
import {
  DEFAULT_CDK_QUALIFIER,
  DEFAULT_LANDING_EXPIRY_DAYS,
  DEFAULT_LOG_RETENTION_DAYS,
  DEFAULT_RAW_OBJECT_LOCK_DAYS,
  StageConfigError,
  loadStageConfig,
  parseStageConfig,
} from '../../src/config/stage-config';

const devJson = (): Record<string, unknown> => JSON.parse(readFileSync(join(CONFIG_DIR, 'dev.json'), 'utf8')) as Record<string, unknown>;

describe('Function: loadStageConfig', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'cur-infra-config-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('reads the dev stage offline, with a placeholder account and the Tokyo region', () => {
    const config = loadStageConfig('dev');

    expect(config.stage).toBe('dev');
    expect(config.account).toMatch(/^\d{12}$/);
    expect(config.region).toBe('ap-northeast-1');
    expect(Object.keys(config.humanRolePrincipals).sort()).toEqual([...HUMAN_ROLES].sort());
  });

  it('fills what the file leaves out with the exported defaults', () => {
    const config = loadStageConfig('dev');

    expect(config.cdkQualifier).toBe(DEFAULT_CDK_QUALIFIER);
    expect(config.retention.landingExpiryDays).toBe(DEFAULT_LANDING_EXPIRY_DAYS);
    expect(config.retention.rawObjectLockDays).toBe(DEFAULT_RAW_OBJECT_LOCK_DAYS);
    expect(config.retention.logRetentionDays).toBe(DEFAULT_LOG_RETENTION_DAYS);
    expect(config.naming).toEqual({});
  });

  it('refuses a file whose stage is not its name, so a copied file cannot deploy under another stage', () => {
    // Prepare
    writeFileSync(join(scratch, 'uat.json'), JSON.stringify(devJson()));

    // Act and Assess
    expect(() => loadStageConfig('uat', scratch)).toThrow(/declares stage 'dev'/);
  });

  it('names the missing file', () => {
    expect(() => loadStageConfig('prod', scratch)).toThrow(StageConfigError);
  });
});

describe('Function: parseStageConfig', () => {
  it.each([
    ['an account that is not 12 digits', { account: '1234' }, /account/],
    ['a stage name the runtime would reject', { stage: 'Dev_1' }, /stage/],
    ['a field the schema does not know', { vpcId: 'vpc-1' }, /vpcId/],
    ['a plain-http JWT issuer', { api: { jwtIssuer: 'http://idp.example', jwtAudience: ['a'] } }, /jwtIssuer/],
    ['a function override for an app that does not exist', { functions: { 'no-such-app': { memorySize: 256 } } }, /functions/],
    ['a log retention CloudWatch does not offer', { retention: { logRetentionDays: 42 } }, /logRetentionDays/],
    ['a human role without principals', { humanRolePrincipals: { DE: [], DA: ['arn:aws:iam::123456789012:root'] } }, /humanRolePrincipals/],
  ])('rejects %s', (_case, change, message) => {
    expect(() => parseStageConfig({ ...devJson(), ...change })).toThrow(message);
  });

  it('accepts an unreserved override (null) for an app', () => {
    const config = parseStageConfig({ ...devJson(), functions: { 'retrieval-api': { reservedConcurrency: null } } });

    expect(config.functions['retrieval-api']?.reservedConcurrency).toBeNull();
  });
});
