import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HUMAN_ROLES } from '@cur/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIG_DIR } from '../../src/config/paths';
import {
  DEFAULT_CDK_QUALIFIER,
  DEFAULT_DMS_INSTANCE_CLASS,
  DEFAULT_DATAHUB_TOKEN_ROTATION_DAYS,
  DEFAULT_LANDING_EXPIRY_DAYS,
  DEFAULT_LOG_RETENTION_DAYS,
  DEFAULT_ORACLE_BACKUP_RETENTION_DAYS,
  DEFAULT_ORACLE_INSTANCE_TYPE,
  DEFAULT_ORACLE_STORAGE_GIB,
  DEFAULT_RAW_OBJECT_LOCK_DAYS,
  DEFAULT_SECRET_ROTATION_DAYS,
  DEFAULT_VPC_CIDR,
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
    ['an Oracle database name longer than a SID may be', { oracle: { databaseName: 'CURDEVELOP', multiAz: false } }, /databaseName/],
    ['an Oracle replica without a Multi-AZ choice', { oracle: { databaseName: 'CURDEV' } }, /multiAz/],
    ['an Oracle host, which the oracle stack now creates', { oracle: { databaseName: 'CURDEV', multiAz: false, host: 'db.example' } }, /host/],
    ['a replica VPC in one zone (RDS and DMS subnet groups need two)', { network: { availabilityZones: ['ap-northeast-1a'] } }, /availabilityZones/],
    ['a DMS class without its dms. prefix', { oracle: { databaseName: 'CURDEV', multiAz: true, dmsInstanceClass: 't3.medium' } }, /dmsInstanceClass/],
  ])('rejects %s', (_case, change, message) => {
    expect(() => parseStageConfig({ ...devJson(), ...change })).toThrow(message);
  });

  it('fills the Oracle replica and its VPC with the exported defaults', () => {
    const config = parseStageConfig(devJson());

    expect(config.oracle).toEqual({
      databaseName: 'CURDEV',
      multiAz: false,
      instanceType: DEFAULT_ORACLE_INSTANCE_TYPE,
      allocatedStorageGiB: DEFAULT_ORACLE_STORAGE_GIB,
      backupRetentionDays: DEFAULT_ORACLE_BACKUP_RETENTION_DAYS,
      secretRotationDays: DEFAULT_SECRET_ROTATION_DAYS,
      dmsInstanceClass: DEFAULT_DMS_INSTANCE_CLASS,
    });
    expect(config.network).toEqual({ cidr: DEFAULT_VPC_CIDR, availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'], s3PrefixListId: 'pl-61a54008' });
  });

  it("names DataHub's route explicitly, as a security group, a range or a PrivateLink service, and rotates its token every 30 days by default", () => {
    const base = devJson() as { dataHub: Record<string, unknown> };
    const withNetwork = (network: unknown): unknown => ({ ...base, dataHub: { ...base.dataHub, network } });

    expect(parseStageConfig(devJson()).dataHub).toEqual({
      endpoint: 'https://datahub.dev.cur.example.internal',
      network: { endpointServiceName: 'com.amazonaws.vpce.ap-northeast-1.vpce-svc-0a1b2c3d4e5f60718' },
      tokenRotationDays: DEFAULT_DATAHUB_TOKEN_ROTATION_DAYS,
    });
    expect(parseStageConfig(withNetwork({ securityGroupId: 'sg-0123456789abcdef0' })).dataHub.network).toEqual({ securityGroupId: 'sg-0123456789abcdef0' });
    expect(parseStageConfig(withNetwork({ cidr: '10.70.0.0/24' })).dataHub.network).toEqual({ cidr: '10.70.0.0/24' });
    expect(() => parseStageConfig({ ...base, dataHub: { endpoint: 'https://datahub.dev.cur.example.internal' } })).toThrow(StageConfigError);
    expect(() => parseStageConfig(withNetwork({ securityGroupId: 'sg-0123456789abcdef0', cidr: '10.70.0.0/24' }))).toThrow(/dataHub\.network/);
    expect(() => parseStageConfig(withNetwork({ cidr: 'anywhere' }))).toThrow(StageConfigError);
  });

  it('accepts an unreserved override (null) for an app', () => {
    const config = parseStageConfig({ ...devJson(), functions: { 'retrieval-api': { reservedConcurrency: null } } });

    expect(config.functions['retrieval-api']?.reservedConcurrency).toBeNull();
  });
});
