import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeReplicationTasksCommand,
  DescribeTableStatisticsCommand,
  ModifyReplicationTaskCommand,
  StartReplicationTaskCommand,
  type DatabaseMigrationServiceClient,
  type ReplicationTask as DmsTask,
} from '@aws-sdk/client-database-migration-service';
import { DMS_STAGING_FOLDER, ReplicationError, dmsFullLoadTask, replicaTable } from '@cur/replication';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../src/index';
import { DmsReplicationTaskRunner } from '../../src/replication/index';

const TASK_ARN = 'arn:aws:dms:ap-northeast-1:123456789012:task:cur-dev-oracle-full-load';
const businessDate = '2026-11-25';

/**
 * A scripted DMS control plane, because neither AWS nor moto can run here what the runner calls: moto 5.2.6 has no
 * ModifyReplicationTask or DescribeTableStatistics (the generated JSON itself goes through moto in
 * dms-generated-json.test.ts). It records each command and moves the task through DMS's documented states:
 * modify -> `modifying` -> `ready`; start -> `starting` -> `running` -> `stopped` with the stop reason DMS gives a
 * finished full load. The object store is real (s3rver, the S3 adapter).
 */
class ScriptedDms {
  readonly sent: { readonly name: string; readonly input: Record<string, unknown> }[] = [];
  #states: string[] = ['ready'];
  #started: Date | undefined;
  constructor(private readonly outcome: { readonly stopReason: string; readonly errorRows?: number }) {}

  async send(command: { constructor: { name: string }; input: Record<string, unknown> }): Promise<unknown> {
    this.sent.push({ name: command.constructor.name, input: command.input });
    if (command instanceof DescribeReplicationTasksCommand) {
      const status = this.#states.length > 1 ? (this.#states.shift() as string) : (this.#states[0] as string);
      const task: DmsTask = { ReplicationTaskArn: TASK_ARN, Status: status, ...(this.#started ? { ReplicationTaskStartDate: this.#started } : {}), ...(status === 'stopped' ? { StopReason: this.outcome.stopReason } : {}) };
      return { ReplicationTasks: [task] };
    }
    if (command instanceof ModifyReplicationTaskCommand) {
      this.#states = ['modifying', 'ready'];
      return {};
    }
    if (command instanceof StartReplicationTaskCommand) {
      this.#started = new Date();
      this.#states = ['starting', 'running', 'stopped'];
      return {};
    }
    if (command instanceof DescribeTableStatisticsCommand) {
      return { TableStatistics: [{ SchemaName: 'CUR_REPLICA', TableName: 'CUSTOMER_TAGS', FullLoadRows: 3, FullLoadErrorRows: this.outcome.errorRows ?? 0 }] };
    }
    throw new Error(`unexpected ${command.constructor.name}`);
  }
}

describe('Class: DmsReplicationTaskRunner', () => {
  let server: S3rver;
  let s3: S3Client;
  let system: S3BlobStore;
  let consumption: S3BlobStore;
  const table = replicaTable('customer_tags');
  const manifest = { dataset: 'customer_tags', zone: 'consumption', businessDate, runId: 'run-2026-11-25', files: ['customer_tags/business_date=2026-11-25/part-a.parquet', 'customer_tags/business_date=2026-11-25/part-b.parquet'], rowCount: 3 };

  beforeAll(async () => {
    server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: await mkdtemp(join(tmpdir(), 'cur-s3rver-')) });
    const { port } = await server.run();
    s3 = new S3Client({ endpoint: `http://127.0.0.1:${port}`, region: 'ap-northeast-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
    for (const bucket of ['cur-dev-system', 'cur-dev-consumption']) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    system = new S3BlobStore(s3, 'cur-dev-system');
    consumption = new S3BlobStore(s3, 'cur-dev-consumption');
    await consumption.put(manifest.files[0] as string, new TextEncoder().encode('first file'));
    await consumption.put(manifest.files[1] as string, new TextEncoder().encode('second file'));
    await consumption.put('customer_tags/business_date=2026-11-25/part-old.parquet', new TextEncoder().encode('an earlier run'));
  });
  afterAll(async () => {
    s3.destroy();
    await server.close();
  });

  const runner = (dms: ScriptedDms) =>
    new DmsReplicationTaskRunner(dms as unknown as DatabaseMigrationServiceClient, { taskArn: TASK_ARN, staging: system, buckets: () => consumption, pollIntervalMs: 1 });

  it('stages exactly the manifest’s files, sets the date’s generated mappings, starts the task and reports its rows', async () => {
    // Prepare: a file an earlier run staged must not be loaded again.
    const folder = `${DMS_STAGING_FOLDER}/cur/customer_tags/`;
    await system.put(`${folder}LOAD00000009.parquet`, new TextEncoder().encode('stale'));
    const dms = new ScriptedDms({ stopReason: 'Stop Reason FULL_LOAD_ONLY_FINISHED' });

    // Act
    const result = await runner(dms).run({ businessDate, tables: [{ table, manifest }] });

    // Assess
    const staged: string[] = [];
    for await (const info of system.list(folder)) staged.push(info.key);
    expect(staged.sort()).toEqual([`${folder}LOAD00000001.parquet`, `${folder}LOAD00000002.parquet`]);
    expect(new TextDecoder().decode(await system.get(`${folder}LOAD00000002.parquet`))).toBe('second file');
    const modify = dms.sent.find(({ name }) => name === 'ModifyReplicationTaskCommand');
    const expected = dmsFullLoadTask([table], businessDate);
    expect(JSON.parse(modify?.input['TableMappings'] as string)).toEqual(expected.TableMappings);
    expect(JSON.parse(modify?.input['ReplicationTaskSettings'] as string)).toEqual(expected.ReplicationTaskSettings);
    expect(dms.sent.find(({ name }) => name === 'StartReplicationTaskCommand')?.input).toEqual({ ReplicationTaskArn: TASK_ARN, StartReplicationTaskType: 'start-replication' });
    expect(result).toMatchObject({ taskId: TASK_ARN, loadedRows: { customer_tags: 3 } });
  });

  it('reloads the target once the task has run before', async () => {
    const dms = new ScriptedDms({ stopReason: 'Stop Reason FULL_LOAD_ONLY_FINISHED' });
    await runner(dms).run({ businessDate, tables: [{ table, manifest }] });
    // The scripted task now has a start date: the next run is a reload.
    await runner(dms).run({ businessDate, tables: [{ table, manifest }] });

    expect(dms.sent.filter(({ name }) => name === 'StartReplicationTaskCommand').map(({ input }) => input['StartReplicationTaskType'])).toEqual(['start-replication', 'reload-target']);
  });

  it.each([
    ['a task that stopped without finishing its load', { stopReason: 'Stop Reason STOPPED_BY_USER' }, /ended stopped/],
    ['rows DMS could not load', { stopReason: 'Stop Reason FULL_LOAD_ONLY_FINISHED', errorRows: 2 }, /could not load 2 row/],
  ])('fails on %s', async (_case, outcome, message) => {
    await expect(runner(new ScriptedDms(outcome)).run({ businessDate, tables: [{ table, manifest }] })).rejects.toThrow(ReplicationError);
    await expect(runner(new ScriptedDms(outcome)).run({ businessDate, tables: [{ table, manifest }] })).rejects.toThrow(message);
  });
});
