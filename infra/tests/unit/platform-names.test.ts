import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HUMAN_ROLES, TABLE_NAMES, TOPIC_NAMES, ZONES } from '@cur/contracts';
import { loadPlatformConfig } from '@cur/platform';
import { describe, expect, it } from 'vitest';
import { APP_NAMES, APP_SPECS } from '../../src/config/apps';
import { WORKSPACE_ROOT } from '../../src/config/paths';
import { BUCKET_NAMES, EXTRA_BUCKETS, PlatformNames, partitionOf } from '../../src/config/platform-names';
import { loadStageConfig, parseStageConfig } from '../../src/config/stage-config';

const config = loadStageConfig('dev');
const names = new PlatformNames(config);

describe('Class: PlatformNames', () => {
  it('gives every Lambda an environment the platform config accepts in AWS mode', () => {
    // Act: what each Lambda's config.ts will do with the environment the stacks set.
    const platform = loadPlatformConfig({ ...names.platformEnvironment(), AWS_REGION: config.region });

    // Assess
    expect(platform.mode).toBe('aws');
    expect(platform.stage).toBe(config.stage);
    expect(platform.bucketPrefix).toBe(names.bucketPrefix);
    expect(platform.tablePrefix).toBe(names.tablePrefix);
    expect(platform.topicArnPrefix).toBe(names.topicArnPrefix);
    expect(platform).toMatchObject({ eventBus: names.eventBusName });
  });

  it('names buckets, tables and topics the way the runtime and adapters address them', () => {
    for (const bucket of BUCKET_NAMES) expect(names.bucketName(bucket)).toBe(`cur-dev-${bucket}`);
    for (const table of TABLE_NAMES) expect(names.tableName(table)).toBe(`cur-dev-${table}`);
    for (const topic of TOPIC_NAMES) {
      expect(names.topicArn(topic)).toBe(`arn:aws:sns:ap-northeast-1:${config.account}:cur-dev-${topic}`);
    }
  });

  it('uses the configured prefixes when a stage needs globally unique bucket names', () => {
    const named = new PlatformNames(parseStageConfig({ ...config, naming: { bucketPrefix: `cur-dev-${config.account}` } }));

    expect(named.bucketName('raw')).toBe(`cur-dev-${config.account}-raw`);
    expect(named.platformEnvironment()['CUR_BUCKET_PREFIX']).toBe(`cur-dev-${config.account}`);
    expect(named.tableName('serving')).toBe('cur-dev-serving');
  });

  it('keeps the extra buckets equal to the runtime’s EXTRA_BUCKETS', () => {
    // infra may not import libs/runtime (type:runtime), so the declaration is compared as text.
    const source = readFileSync(join(WORKSPACE_ROOT, 'libs/runtime/src/ports/blob-stores.ts'), 'utf8');
    const declared = /EXTRA_BUCKETS = \[([^\]]*)\]/.exec(source)?.[1];

    expect(declared?.split(',').map((name) => name.trim().replace(/'/g, ''))).toEqual([...EXTRA_BUCKETS]);
    expect(BUCKET_NAMES).toEqual([...ZONES, ...EXTRA_BUCKETS]);
  });

  it('lists exactly the SYSTEM roles as SYSTEM principals, by exact ARN', () => {
    const systemRoles = [names.systemRoleName, ...APP_NAMES.filter((app) => APP_SPECS[app].principalClass === 'system').map((app) => names.appRoleName(app, 'system'))];
    const otherRoles = [
      ...HUMAN_ROLES.map((role) => names.humanRoleName(role)),
      ...APP_NAMES.filter((app) => APP_SPECS[app].principalClass === 'service').map((app) => names.appRoleName(app, 'service')),
      names.lakeFormationDataAccessRoleName,
      names.cloudFormationExecutionRoleArn(config.cdkQualifier).split('/').pop() ?? '',
      // What the old name-prefix condition let anyone with iam:CreateRole match.
      `${names.systemRoleNamePrefix}anything`,
    ];

    expect(names.systemPrincipalArns).toEqual(systemRoles.map((role) => names.roleArn(role)));
    for (const arn of names.systemPrincipalArns) expect(arn).not.toContain('*');
    for (const role of otherRoles) expect(names.systemPrincipalArns, role).not.toContain(names.roleArn(role));
  });

  it('keeps every role name within the IAM limit of 64 characters for the longest stage name', () => {
    const longest = new PlatformNames(parseStageConfig({ ...config, stage: 'abcdefghijklmnop' }));

    for (const app of APP_NAMES) expect(longest.appRoleName(app, APP_SPECS[app].principalClass).length).toBeLessThanOrEqual(64);
  });

  it.each([
    ['ap-northeast-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
  ])('puts %s in partition %s', (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
  });
});
