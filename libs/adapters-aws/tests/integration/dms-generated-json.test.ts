import {
  CreateEndpointCommand,
  CreateReplicationInstanceCommand,
  CreateReplicationTaskCommand,
  DatabaseMigrationServiceClient,
  DescribeEndpointsCommand,
  DescribeReplicationTasksCommand,
  StartReplicationTaskCommand,
} from '@aws-sdk/client-database-migration-service';
import { REPLICA_TABLES, dmsExternalTableDefinition, dmsFullLoadTask, dmsS3SourceSettings } from '@cur/replication';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { motoDateCompatibleHandler, startMotoServer, type MotoServer } from '../helpers/moto-server';

/**
 * The DMS JSON libs/replication generates, sent with the real AWS SDK client to moto's DMS API (moto 5.2.6 on
 * loopback), the calls the CDK's resources and the replicator make: CreateEndpoint (the S3 source with the
 * external table definition, the Oracle target reading its secret), CreateReplicationInstance,
 * CreateReplicationTask with a date's table mappings and the task settings, StartReplicationTask,
 * DescribeReplicationTasks. What comes back is what was stored under the API's own field names, so a misnamed or
 * mis-nested field would not round-trip.
 *
 * What moto does not check, and so is verified only on paper (against DMS's documentation):
 * - the content of `TableMappings`, `ReplicationTaskSettings` and `ExternalTableDefinition`: moto stores the strings
 *   without parsing them (rule types, filter operators, column types, setting names are DMS's to judge);
 * - that referenced ARNs exist (endpoints, instance), engine names, S3 bucket access, the secret;
 * - ModifyReplicationTask and DescribeTableStatistics, which moto 5.2.6 does not implement: the replicator's
 *   per-date modify-then-reload loop (`DmsReplicationTaskRunner`) cannot run against it, only its calls' payloads
 *   are exercised here (CreateReplicationTask takes the same TableMappings and settings strings);
 * - a task's real progress: moto's task goes straight to `running` and never finishes a load.
 * And one thing moto gets wrong, which the client's handler corrects (`motoDateCompatibleHandler`): it writes a
 * task's and an instance's dates as ISO strings, where DMS's JSON protocol has epoch seconds.
 */
describe('DMS API (moto server): the generated endpoint, mapping and task JSON', () => {
  let moto: MotoServer;
  let client: DatabaseMigrationServiceClient;
  const businessDate = '2026-11-25';
  beforeAll(async () => {
    moto = await startMotoServer();
    // Loopback only; moto accepts any credentials, which here are not secrets.
    client = new DatabaseMigrationServiceClient({
      region: 'ap-northeast-1',
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      requestHandler: motoDateCompatibleHandler,
    });
  }, 120_000);
  afterAll(async () => {
    client?.destroy();
    await moto?.stop();
  });

  it('creates the S3 source endpoint with the generated settings, which come back field for field', async () => {
    // Prepare
    const settings = dmsS3SourceSettings(REPLICA_TABLES, { bucketName: 'cur-dev-system', serviceAccessRoleArn: 'arn:aws:iam::123456789012:role/cur-dev-dms-source-access' });

    // Act
    const created = await client.send(new CreateEndpointCommand({ EndpointIdentifier: 'cur-dev-lake-source', EndpointType: 'source', EngineName: 's3', S3Settings: settings }));
    const described = await client.send(new DescribeEndpointsCommand({ Filters: [{ Name: 'endpoint-arn', Values: [created.Endpoint?.EndpointArn ?? ''] }] }));

    // Assess
    const s3 = described.Endpoints?.[0]?.S3Settings;
    expect(s3).toMatchObject({ BucketName: 'cur-dev-system', BucketFolder: settings.BucketFolder, ServiceAccessRoleArn: settings.ServiceAccessRoleArn, DataFormat: 'parquet' });
    expect(JSON.parse(s3?.ExternalTableDefinition ?? '{}')).toEqual(dmsExternalTableDefinition(REPLICA_TABLES));
  });

  it('creates the Oracle target endpoint that reads its credentials from Secrets Manager', async () => {
    const created = await client.send(
      new CreateEndpointCommand({
        EndpointIdentifier: 'cur-dev-oracle-target',
        EndpointType: 'target',
        EngineName: 'oracle',
        DatabaseName: 'CURDEV',
        OracleSettings: { SecretsManagerSecretId: 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:cur-dev/oracle/replica-owner-AbCdEf', SecretsManagerAccessRoleArn: 'arn:aws:iam::123456789012:role/cur-dev-dms-secret-access' },
      }),
    );

    // DMS answers TARGET; moto echoes the request's case.
    expect(created.Endpoint?.EndpointType?.toLowerCase()).toBe('target');
    expect(created.Endpoint).toMatchObject({ EngineName: 'oracle', DatabaseName: 'CURDEV' });
  });

  it('creates and starts the full-load task with one date’s generated mappings and settings, stored as sent', async () => {
    // Prepare
    const instance = await client.send(new CreateReplicationInstanceCommand({ ReplicationInstanceIdentifier: 'cur-dev-replica', ReplicationInstanceClass: 'dms.t3.medium', PubliclyAccessible: false }));
    const [source, target] = await Promise.all(
      ['cur-dev-lake-source', 'cur-dev-oracle-target'].map(async (id) => (await client.send(new DescribeEndpointsCommand({ Filters: [{ Name: 'endpoint-id', Values: [id] }] }))).Endpoints?.[0]?.EndpointArn),
    );
    const task = dmsFullLoadTask(REPLICA_TABLES, businessDate);

    // Act
    const created = await client.send(
      new CreateReplicationTaskCommand({
        ReplicationTaskIdentifier: 'cur-dev-oracle-full-load',
        ReplicationInstanceArn: instance.ReplicationInstance?.ReplicationInstanceArn,
        SourceEndpointArn: source,
        TargetEndpointArn: target,
        MigrationType: task.MigrationType,
        TableMappings: JSON.stringify(task.TableMappings),
        ReplicationTaskSettings: JSON.stringify(task.ReplicationTaskSettings),
      }),
    );
    const taskArn = created.ReplicationTask?.ReplicationTaskArn ?? '';
    await client.send(new StartReplicationTaskCommand({ ReplicationTaskArn: taskArn, StartReplicationTaskType: 'start-replication' }));
    // The runner's own describe call: filtered to the one task, without settings.
    const described = await client.send(new DescribeReplicationTasksCommand({ Filters: [{ Name: 'replication-task-arn', Values: [taskArn] }] }));

    // Assess
    expect(taskArn).toMatch(/^arn:aws:dms:ap-northeast-1:\d{12}:task:cur-dev-oracle-full-load$/);
    const stored = described.ReplicationTasks?.[0];
    expect(stored?.MigrationType).toBe('full-load');
    expect(JSON.parse(stored?.TableMappings ?? '{}')).toEqual(task.TableMappings);
    expect(JSON.parse(stored?.ReplicationTaskSettings ?? '{}')).toEqual(task.ReplicationTaskSettings);
    expect(stored?.Status).toBe('running');
    expect(stored?.ReplicationTaskStartDate).toBeInstanceOf(Date);
    // The date's filter is what the task would load: one business date per table.
    const filters = task.TableMappings.rules.flatMap((rule) => ('filters' in rule ? rule.filters.flatMap((filter) => filter['filter-conditions'].map((condition) => condition.value)) : []));
    expect(filters).toEqual(REPLICA_TABLES.map(() => businessDate));
  });
});
