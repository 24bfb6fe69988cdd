import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDbKeyValueStore } from '@cur/adapters-aws';
import { startMotoServer, type MotoServer } from '@cur/adapters-aws/testing';
import { lambdaBundlePath } from '@cur/platform/testing';
import { ServingStore } from '@cur/serving';
import { fixtureCustomers, publishServingFixture } from '@cur/serving/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../src/handler';
import { TAG_CATALOG } from '../../src/tag-catalog';

const STAGE = 'sltest';
const PREFIX = `cur-${STAGE}`;
const REGION = 'ap-northeast-1';
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const DATE = '2026-11-25';
const LATER = '2026-11-26';

/** The DAG task's payload, as `dags/cur_pipeline.py` renders it for a run whose conf carries DATE. */
const dagPayload = (): unknown => JSON.parse(readFileSync(new URL('../events/dag-serving-task.json', import.meta.url), 'utf8'));

/** Every file under a folder, as keys relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((path) => join(dir, path))
    .filter((path) => statSync(path).isFile())
    .map((path) => relative(dir, path).split('\\').join('/'));
}

/**
 * Publishes a day of the consumption layer and the mart into a local lake folder (libs/serving's fixture, as the
 * pipeline lays it out), gives each manifest the content hash of its files, as the pipeline does, and uploads the
 * lake to moto's S3, so the Lambda reads what the Glue jobs would have published.
 */
async function publishToS3(s3: S3Client, day: Parameters<typeof publishServingFixture>[1]): Promise<void> {
  // Loaded as the wiring loads it: the app imports adapters-local lazily.
  const { DuckDbSqlEngine, FsBlobStore } = await import('@cur/adapters-local');
  const lake = mkdtempSync(join(tmpdir(), 'cur-serving-load-lake-'));
  const engine = await DuckDbSqlEngine.open();
  try {
    await publishServingFixture({ system: new FsBlobStore(lake, 'system'), engine, locate: (bucket, key) => join(lake, bucket, ...key.split('/')) }, day);
  } finally {
    await engine.close();
  }
  for (const key of filesUnder(join(lake, 'system'))) {
    const manifest = JSON.parse(readFileSync(join(lake, 'system', key), 'utf8')) as { zone: string; files: string[]; contentSha256: string };
    const hash = createHash('sha256');
    for (const file of manifest.files) hash.update(readFileSync(join(lake, manifest.zone, file)));
    manifest.contentSha256 = hash.digest('hex');
    await s3.send(new PutObjectCommand({ Bucket: `${PREFIX}-system`, Key: key, Body: JSON.stringify(manifest) }));
  }
  for (const bucket of ['consumption', 'mart']) {
    let keys: string[] = [];
    try {
      keys = filesUnder(join(lake, bucket));
    } catch {
      // no mart metrics in this day
    }
    for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: `${PREFIX}-${bucket}`, Key: key, Body: readFileSync(join(lake, bucket, key)) }));
  }
  rmSync(lake, { recursive: true, force: true });
}

describe('serving-load handler on moto (S3 and DynamoDB on loopback)', () => {
  let moto: MotoServer;
  let s3: S3Client;
  let dynamoDb: DynamoDBClient;
  let reader: ServingStore;
  let scratch: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    // Prepare: moto's server, the stage's buckets and serving table, and the Lambda's environment as the CDK sets it.
    moto = await startMotoServer();
    s3 = new S3Client({ region: REGION, endpoint: moto.endpoint, forcePathStyle: true, credentials: CREDENTIALS });
    dynamoDb = new DynamoDBClient({ region: REGION, endpoint: moto.endpoint, credentials: CREDENTIALS });
    for (const bucket of ['consumption', 'mart', 'system']) {
      await s3.send(new CreateBucketCommand({ Bucket: `${PREFIX}-${bucket}`, CreateBucketConfiguration: { LocationConstraint: REGION } }));
    }
    await dynamoDb.send(
      new CreateTableCommand({
        TableName: `${PREFIX}-serving`,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      }),
    );
    scratch = mkdtempSync(join(tmpdir(), 'cur-serving-load-scratch-'));
    Object.assign(process.env, {
      CUR_MODE: 'aws',
      CUR_STAGE: STAGE,
      CUR_BUCKET_PREFIX: PREFIX,
      CUR_TABLE_PREFIX: PREFIX,
      CUR_TOPIC_ARN_PREFIX: `arn:aws:sns:${REGION}:123456789012:${PREFIX}`,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      CUR_S3_ENDPOINT: moto.endpoint,
      CUR_DYNAMODB_ENDPOINT: moto.endpoint,
      CUR_SERVING_SCRATCH_DIR: scratch,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
    });
    await publishToS3(s3, {
      businessDate: DATE,
      customers: fixtureCustomers(450, { tags: (index) => (index % 3 === 0 ? ['high_value', 'digital_native'] : ['digitally_dormant']) }),
      segmentMetrics: [
        { month: '2026-11', segment: 'MASS', customers: 113 },
        { month: '2026-11', segment: 'AFFLUENT', customers: 112 },
      ],
    });
    // The retrieval API's store code, on the same table; no pointer cache, so each read sees the served version.
    reader = new ServingStore(new DynamoDbKeyValueStore(dynamoDb, { tablePrefix: PREFIX }), { pointerTtlMs: 0 });
  }, 120_000);

  afterAll(async () => {
    process.env = saved;
    s3?.destroy();
    dynamoDb?.destroy();
    await moto?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('loads the DAG task\'s business date into the serving table, readable by the retrieval API\'s store', async () => {
    // Act: the real Lambda entry with the DAG task's payload.
    const result = await handler(dagPayload());

    // Assess: the load's counts, then what the retrieval API would answer.
    expect(result).toMatchObject({ asOf: DATE, customers: 450, tagAssignments: 150 * 2 + 300, metricsMonths: 1 });
    const served = await reader.current({ fresh: true });
    expect(served).toMatchObject({ version: result.version, asOf: DATE, customers: 450 });
    const { customer } = await reader.getCustomer('Q200000003');
    expect(customer).toMatchObject({ token: 'Q200000003', segment: 'PRIVATE' });
    expect([...customer.tags].sort()).toEqual(['digital_native', 'high_value']);
    const { tags } = await reader.listTags();
    expect(tags.map((tag) => [tag.name, tag.customers])).toEqual([['digital_native', 150], ['digitally_dormant', 300], ['high_value', 150]]);
    // Descriptions come from the committed catalog, as cur run's come from TAG_DEFINITIONS.
    expect(tags.find((tag) => tag.name === 'high_value')).toMatchObject({ description: TAG_CATALOG.find((entry) => entry.name === 'high_value')?.description, owner: 'wealth-management' });
    const page = await reader.customersWithTag('high_value', { limit: 5 });
    expect(page.tokens).toEqual(['Q200000000', 'Q200000003', 'Q200000006', 'Q200000009', 'Q200000012']);
    const { metrics } = await reader.segmentMetrics('MASS', '2026-11');
    expect(metrics).toMatchObject({ segment: 'MASS', month: '2026-11', businessDate: DATE });
    // Nothing is left in the scratch folder for the next invocation of a warm container.
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('switches atomically to the next date: the previous version stays readable until the flip, then the new one is served', async () => {
    const before = await reader.current({ fresh: true });
    await publishToS3(s3, { businessDate: LATER, customers: fixtureCustomers(20, { prefix: 'R3' }) });

    const result = await handler({ step: 'serving', businessDate: LATER });

    expect(result).toMatchObject({ asOf: LATER, customers: 20, previous: before.version });
    expect(await reader.current({ fresh: true })).toMatchObject({ version: result.version, asOf: LATER });
    await expect(reader.getCustomer('Q200000003')).rejects.toMatchObject({ code: 'CUSTOMER_NOT_FOUND' });
    expect((await reader.getCustomer('R300000001')).customer.token).toBe('R300000001');
  });

  it('refuses an older business date than the served one, and the served version stays', async () => {
    const served = await reader.current({ fresh: true });

    await expect(handler({ step: 'serving', businessDate: DATE })).rejects.toMatchObject({ code: 'SERVING_STALE_LOAD' });
    expect((await reader.current({ fresh: true })).version).toBe(served.version);
  });

  it('fails with SERVING_INPUT_MISSING for a date nothing was published for', async () => {
    await expect(handler({ step: 'serving', businessDate: '2026-12-31' })).rejects.toMatchObject({ code: 'SERVING_INPUT_MISSING' });
  });

  it('fails with CONTENT_MISMATCH, reading nothing, when a published file no longer holds its manifest\'s bytes', async () => {
    const served = await reader.current({ fresh: true });
    const date = '2026-11-27';
    await publishToS3(s3, { businessDate: date, customers: fixtureCustomers(5, { prefix: 'S4' }) });
    await s3.send(new PutObjectCommand({ Bucket: `${PREFIX}-consumption`, Key: `customer_tags/business_date=${date}/part-fixture.parquet`, Body: 'not the published bytes' }));

    await expect(handler({ step: 'serving', businessDate: date })).rejects.toMatchObject({ code: 'CONTENT_MISMATCH' });
    expect((await reader.current({ fresh: true })).version).toBe(served.version);
  });

  it('runs from the built asset folder alone, as Lambda unpacks it: the bundle and its DuckDB addon load the next date', async () => {
    // Prepare: dist/apps/serving-load copied where no workspace node_modules is above it; the next date published.
    const asset = mkdtempSync(join(tmpdir(), 'cur-serving-load-asset-'));
    cpSync(dirname(lambdaBundlePath('serving-load')), asset, { recursive: true });
    await publishToS3(s3, { businessDate: '2026-11-28', customers: fixtureCustomers(30, { prefix: 'T5' }) });
    const script = "const { handler } = await import('./handler.mjs'); console.log(JSON.stringify(await handler({ step: 'serving', businessDate: '2026-11-28' })));";
    const environment = Object.fromEntries(Object.entries(process.env).filter(([name]) => /^(CUR_|AWS_|PATH$|POWERTOOLS_LOG_LEVEL$)/.test(name)));
    try {
      // Act: plain node on handler.mjs, with the Lambda's environment and nothing of the workspace.
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: asset, env: environment });
      // Assess
      const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as { version: string; asOf: string; customers: number };
      expect(result).toMatchObject({ asOf: '2026-11-28', customers: 30 });
      expect(await reader.current({ fresh: true })).toMatchObject({ version: result.version, asOf: '2026-11-28' });
    } finally {
      rmSync(asset, { recursive: true, force: true });
    }
  });

  it.each([
    ['another step', { step: 'mart', businessDate: DATE }],
    ['a date that is not ISO', { step: 'serving', businessDate: '25/11/2026' }],
    ['an extra field', { step: 'serving', businessDate: DATE, batch: 'b-1' }],
    ['no payload', undefined],
  ])('rejects %s with VALIDATION_FAILED before touching the store', async (_name, payload) => {
    await expect(handler(payload)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
