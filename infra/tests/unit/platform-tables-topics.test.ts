import { TABLES, TOPICS } from '@cur/contracts';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE_KEYS } from '../../src/config/platform-names';
import type { SynthesizedStage } from '../helpers/synth-stage';
import { logicalIdOf, synthStage } from '../helpers/synth-stage';

describe('Constructs: PlatformTables, PlatformTopics and PlatformEventBus', () => {
  let synth: SynthesizedStage;
  beforeAll(() => {
    synth = synthStage();
  });
  afterAll(() => synth.dispose());

  it('creates exactly the contracts tables, keyed pk/sk, with PITR, deletion protection and a customer-managed key', () => {
    const template = synth.template('platform');
    const keys = synth.stage.platform.keys.keys;

    template.resourceCountIs('AWS::DynamoDB::Table', Object.keys(TABLES).length);
    for (const table of Object.values(TABLES)) {
      template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        Properties: {
          TableName: `cur-dev-${table.name}`,
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ],
          BillingMode: 'PAY_PER_REQUEST',
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: {
            SSEEnabled: true,
            SSEType: 'KMS',
            KMSMasterKeyId: { 'Fn::GetAtt': [logicalIdOf(keys[TABLE_KEYS[table.name]]), 'Arn'] },
          },
        },
      });
    }
    expect(TABLE_KEYS['masking-keys']).toBe('keys');
    expect(TABLE_KEYS['audit-log']).toBe('keys');
  });

  it('creates exactly the contracts topics, KMS-encrypted with the lake key and TLS-only', () => {
    const template = synth.template('platform');
    const lakeKey = logicalIdOf(synth.stage.platform.keys.keys.lake);

    template.resourceCountIs('AWS::SNS::Topic', Object.keys(TOPICS).length);
    for (const topic of Object.values(TOPICS)) {
      template.hasResourceProperties('AWS::SNS::Topic', {
        TopicName: `cur-dev-${topic.name}`,
        KmsMasterKeyId: { 'Fn::GetAtt': [lakeKey, 'Arn'] },
      });
      expect(synth.stage.names.topicArn(topic.name)).toBe(`${synth.stage.names.topicArnPrefix}-${topic.name}`);
    }
    template.allResourcesProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      }),
    });
  });

  it('creates the platform event bus under the runtime’s default name, archiving every platform event', () => {
    const template = synth.template('platform');

    template.hasResource('AWS::Events::EventBus', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ Name: 'cur-dev' }) });
    template.hasResourceProperties('AWS::Events::Archive', {
      ArchiveName: 'cur-dev-platform-events',
      EventPattern: { source: ['cur.platform'] },
      RetentionDays: 30,
    });
  });
});
