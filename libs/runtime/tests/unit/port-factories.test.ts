import { afterEach, describe, expect, it, vi } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { loadPlatformConfig } from '@cur/platform';
import { createBlobStores, createEventPublisher, createKeyValuePorts, createKeyVault, createNotifier, createRuntime } from '../../src/index';

const aws = loadPlatformConfig({
  CUR_MODE: 'aws',
  CUR_STAGE: 'uat',
  CUR_TOPIC_ARN_PREFIX: 'arn:aws:sns:ap-northeast-1:123456789012:cur-uat',
  CUR_MASKING_KEY_ID: 'alias/cur-uat-masking',
});

/** A capture function that records what it was given, as a tracer's `captureAWSv3Client` would wrap it. */
function recordingCapture(): { captureClient: <C extends object>(client: C) => C; clients: object[] } {
  const clients: object[] = [];
  return {
    clients,
    captureClient: <C extends object>(client: C): C => {
      clients.push(client);
      return client;
    },
  };
}

afterEach(() => vi.unstubAllEnvs());

describe('Per-port factories (aws)', () => {
  it.each([
    ['createBlobStores', createBlobStores, S3Client],
    ['createKeyValuePorts', createKeyValuePorts, DynamoDBClient],
    ['createNotifier', createNotifier, SNSClient],
    ['createEventPublisher', createEventPublisher, EventBridgeClient],
    ['createKeyVault', createKeyVault, KMSClient],
  ] as const)('%s creates its one SDK client and hands it to captureClient', async (_name, factory, client) => {
    // Prepare
    const capture = recordingCapture();

    // Act
    const port = await factory(aws, capture);
    await port.close();

    // Assess
    expect(capture.clients).toHaveLength(1);
    expect(capture.clients[0]).toBeInstanceOf(client);
  });

  it('createRuntime hands every client it creates to captureClient', async () => {
    const capture = recordingCapture();
    const runtime = await createRuntime(aws, capture);
    await runtime.close();
    expect(capture.clients.map((client) => client.constructor.name).sort()).toEqual(['DynamoDBClient', 'EventBridgeClient', 'KMSClient', 'S3Client', 'SNSClient']);
  });

  it("with a Lambda's tracer, every call of the client goes through the X-Ray middleware", async () => {
    // Prepare: the environment of a Lambda function (outside Lambda Powertools turns tracing off by itself)
    vi.stubEnv('AWS_EXECUTION_ENV', 'AWS_Lambda_nodejs22.x');
    const tracer = new Tracer({ serviceName: 'retrieval-api' });

    // Act
    const { dynamoDb, close } = await createKeyValuePorts(aws, { captureClient: (client) => tracer.captureAWSv3Client(client) });
    const middleware = dynamoDb.middlewareStack.identify();
    await close();

    // Assess
    expect(middleware.some((name) => /xray/i.test(name))).toBe(true);
  });
});
