import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDbKeyValueStore } from '@cur/adapters-aws';
import { startMotoServer, type MotoServer } from '@cur/adapters-aws/testing';
import { ModelHistory, modelExportKey, trainingJobStateChangeEvent, type ModelExportTable } from '@cur/model-registry';
import { createLogger } from '@cur/platform';
import { lambdaContext } from '@cur/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelHistoryLambda } from '../../src/handler';
import { createModelHistoryDependencies } from '../../src/wiring';

const REGION = 'ap-northeast-1';
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const VERSION = 'cur-dev-train-digital-native-20261125-231000';
/** SageMaker's model archive of the real completed event, as its `ModelArtifacts.S3ModelArtifacts` names it. */
const ARCHIVE_KEY = `model-history/artefacts/${VERSION}/output/model.tar.gz`;
const HOLDOUT_COUNTS = [120, 95, 80, 60, 41, 33, 27, 30, 44, 70];

const event = (name: string): unknown => JSON.parse(readFileSync(new URL(`../events/${name}`, import.meta.url), 'utf8'));

/**
 * SageMaker's `model.tar.gz` of `SM_MODEL_DIR`, packed by Python's tarfile: `model.json` in the shape
 * `cur_model.train` writes (its score histogram; the rest trimmed) beside a stand-in `model.joblib`. That SageMaker
 * packs the folder this way is on paper; the reader is held to Python's and GNU tar's archives in libs/model-registry.
 */
function modelArchive(dir: string): Buffer {
  const folder = join(dir, 'model');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'model.json'), JSON.stringify({ target: 'digital_native', metrics: { 'validation:auc': 0.9132 }, score_distribution: { bins: 10, holdout_counts: HOLDOUT_COUNTS } }));
  writeFileSync(join(folder, 'model.joblib'), Buffer.alloc(4096, 7));
  const script = 'import sys, tarfile, os\nwith tarfile.open(sys.argv[2], "w:gz") as t:\n    [t.add(os.path.join(sys.argv[1], f), arcname=f) for f in sorted(os.listdir(sys.argv[1]))]';
  execFileSync('python3', ['-c', script, folder, join(dir, 'model.tar.gz')]);
  return readFileSync(join(dir, 'model.tar.gz'));
}

describe('model-history Lambda on moto (S3 and DynamoDB on loopback)', () => {
  let moto: MotoServer;
  let s3: S3Client;
  let dynamoDb: DynamoDBClient;
  let work: string;
  const saved = { ...process.env };

  /** The Lambda's environment as the CDK sets it, for one bucket and table prefix. */
  const envOf = (prefix: string): NodeJS.ProcessEnv => ({
    CUR_MODE: 'aws',
    CUR_STAGE: 'dev',
    CUR_BUCKET_PREFIX: prefix,
    CUR_TABLE_PREFIX: prefix,
    CUR_TOPIC_ARN_PREFIX: `arn:aws:sns:${REGION}:123456789012:${prefix}`,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    CUR_S3_ENDPOINT: moto.endpoint,
    CUR_DYNAMODB_ENDPOINT: moto.endpoint,
    CUR_MODEL_HISTORY_SCRATCH_DIR: join(work, `scratch-${prefix}`),
  });

  const createTable = (prefix: string): Promise<unknown> =>
    dynamoDb.send(
      new CreateTableCommand({
        TableName: `${prefix}-model-history`,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      }),
    );
  const createSystemBucket = (prefix: string): Promise<unknown> => s3.send(new CreateBucketCommand({ Bucket: `${prefix}-system`, CreateBucketConfiguration: { LocationConstraint: REGION } }));

  /** An export read back from S3 by a fresh DuckDB. */
  async function exported(prefix: string, table: ModelExportTable, sql: string): Promise<Record<string, unknown>[]> {
    const object = await s3.send(new GetObjectCommand({ Bucket: `${prefix}-system`, Key: modelExportKey(table) }));
    const file = join(work, `${prefix}-${table}.parquet`);
    if (object.Body === undefined) throw new Error(`no body for ${modelExportKey(table)}`);
    writeFileSync(file, await object.Body.transformToByteArray());
    // Loaded as the wiring loads it: the app imports adapters-local lazily.
    const { DuckDbSqlEngine } = await import('@cur/adapters-local/sql-engine');
    const engine = await DuckDbSqlEngine.open({ threads: 1 });
    try {
      return await engine.query(sql.replace('$file', `read_parquet('${file}')`));
    } finally {
      await engine.close();
    }
  }

  beforeAll(async () => {
    moto = await startMotoServer();
    s3 = new S3Client({ region: REGION, endpoint: moto.endpoint, forcePathStyle: true, credentials: CREDENTIALS });
    dynamoDb = new DynamoDBClient({ region: REGION, endpoint: moto.endpoint, credentials: CREDENTIALS });
    work = mkdtempSync(join(tmpdir(), 'cur-model-history-moto-'));
    // The SDK's default credential chain reads these from the process, as Lambda's role gives them there.
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey });
  }, 120_000);

  afterAll(async () => {
    process.env = saved;
    s3?.destroy();
    dynamoDb?.destroy();
    await moto?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("records the real completed event, then rewrites both exports in the system bucket from SageMaker's model.tar.gz", async () => {
    // Prepare: the stage's table and system bucket, the version's model archive where SageMaker's output path puts it
    const prefix = 'cur-dev';
    await createTable(prefix);
    await createSystemBucket(prefix);
    await s3.send(new PutObjectCommand({ Bucket: `${prefix}-system`, Key: ARCHIVE_KEY, Body: modelArchive(join(work, 'archive')) }));
    const deps = await createModelHistoryDependencies(envOf(prefix), createLogger({ serviceName: 'model-history', logLevel: 'SILENT' }));
    const lambda = createModelHistoryLambda(() => Promise.resolve(deps), { logger: deps.logger });

    // Act: another launcher's job (ignored: no export), then the platform's completed job
    const foreign = await lambda(event('sagemaker-training-job-state-change.json'), lambdaContext());
    const listedAfterForeign = await s3.send(new ListObjectsV2Command({ Bucket: `${prefix}-system`, Prefix: 'model-history/exports/' }));
    const completed = await lambda(event('sagemaker-training-job-completed.json'), lambdaContext());

    // Assess
    expect(foreign).toEqual({ outcome: 'ignored', versionId: 'cur-segments-2026-11-25', status: 'Completed' });
    expect(listedAfterForeign.KeyCount ?? 0).toBe(0);
    expect(completed).toEqual({ outcome: 'recorded', versionId: VERSION, status: 'Completed', exports: 'written' });
    expect(await exported(prefix, 'model_history', 'SELECT version_id, target_tag, status, CAST(created_at AS VARCHAR) AS created_at, metric, value FROM $file')).toEqual([
      { version_id: VERSION, target_tag: 'frequent_card_user', status: 'Completed', created_at: '2026-11-25 23:10:00', metric: 'validation:auc', value: 0.9132 },
      { version_id: VERSION, target_tag: 'frequent_card_user', status: 'Completed', created_at: '2026-11-25 23:10:00', metric: 'validation:log_loss', value: 0.3311 },
    ]);
    const bins = await exported(prefix, 'model_score_distributions', 'SELECT version_id, bin, lower, upper, holdout_count::INTEGER AS holdout_count FROM $file');
    expect(bins.map((b) => b['holdout_count'])).toEqual(HOLDOUT_COUNTS);
    expect(bins[0]).toEqual({ version_id: VERSION, bin: 0, lower: 0, upper: 0.1, holdout_count: 120 });
    expect(bins[9]).toMatchObject({ bin: 9, lower: 0.9, upper: 1 });
    await deps.close();
  }, 120_000);

  it('keeps the recorded version when the export fails (coded, not thrown), and the next final status rewrites everything', async () => {
    // Prepare: the table but no system bucket yet, so the export's first put fails
    const prefix = 'cur-devx';
    await createTable(prefix);
    const deps = await createModelHistoryDependencies(envOf(prefix), createLogger({ serviceName: 'model-history', logLevel: 'SILENT' }));
    const lambda = createModelHistoryLambda(() => Promise.resolve(deps), { logger: deps.logger });

    // Act: the completed event with nowhere to export; then the bucket appears and another job of the stage fails
    const first = await lambda(event('sagemaker-training-job-completed.json'), lambdaContext());
    await createSystemBucket(prefix);
    const failed = trainingJobStateChangeEvent({
      jobName: 'cur-dev-train-digital-native-20261126-010000',
      status: 'Failed',
      secondaryStatus: 'Failed',
      createdAt: new Date('2026-11-26T01:00:00Z'),
      at: new Date('2026-11-26T01:05:00Z'),
      hyperparameters: { seed: '7' },
      tags: { 'cur:target-tag': 'digital_native' },
      trainingImage: 'sklearn',
      failureReason: 'AlgorithmError: [INVALID_TRAINING_DATA]',
      region: REGION,
      account: '123456789012',
    });
    const second = await lambda(failed, lambdaContext());

    // Assess: the first version stands; the second export holds both versions (the first without its histogram: its archive is absent)
    expect(first).toEqual({ outcome: 'recorded', versionId: VERSION, status: 'Completed', exports: 'failed' });
    const store = new DynamoDbKeyValueStore(dynamoDb, { tablePrefix: prefix });
    expect((await new ModelHistory(store).get(VERSION)).status).toBe('Completed');
    expect(second).toMatchObject({ outcome: 'recorded', status: 'Failed', exports: 'written' });
    expect(await exported(prefix, 'model_history', 'SELECT version_id, status, metric FROM $file')).toEqual([
      { version_id: VERSION, status: 'Completed', metric: 'validation:auc' },
      { version_id: VERSION, status: 'Completed', metric: 'validation:log_loss' },
      { version_id: 'cur-dev-train-digital-native-20261126-010000', status: 'Failed', metric: null },
    ]);
    expect(await exported(prefix, 'model_score_distributions', 'SELECT count(*)::INTEGER AS n FROM $file')).toEqual([{ n: 0 }]);
    await deps.close();
  }, 120_000);
});
