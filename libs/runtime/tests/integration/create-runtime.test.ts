import { chmod, mkdir, mkdtemp, readFile, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPlatformConfig } from '@cur/platform';
import { createRuntime } from '../../src/index';

describe('createRuntime (local)', () => {
  it('wires a lake folder, dynalite under the state folder and an outbox, and keeps state across runs', async () => {
    // Prepare
    const home = await mkdtemp(join(tmpdir(), 'cur-home-'));
    const config = loadPlatformConfig({ CUR_HOME: home });

    // Act
    const first = await createRuntime(config);
    await first.blobStore('raw').put('customer_profile/business_date=2026-11-25/part-0.parquet', 'bytes');
    await first.keyValueStore.put('batch-ledger', { pk: 'batch#1', sk: 'meta', status: 'ACCEPTED' });
    await first.notifier().publish('pipeline-failures', { subject: 'step failed', body: 'mask failed for customer_profile' });
    await first.close();
    const second = await createRuntime(config);
    const item = await second.keyValueStore.get('batch-ledger', { pk: 'batch#1', sk: 'meta' });
    await second.close();

    // Assess
    expect(first.localLakeDir).toBe(join(home, 'lake'));
    expect(await readdir(join(home, 'lake', 'raw', 'customer_profile', 'business_date=2026-11-25'))).toEqual(['part-0.parquet']);
    expect(item?.['status']).toBe('ACCEPTED');
    expect(await readFile(join(home, 'outbox', 'pipeline-failures.jsonl'), 'utf8')).toContain('step failed');
    expect(await readdir(join(home, 'dynamodb'))).not.toHaveLength(0);
  });

  it('uses a DynamoDB endpoint from configuration instead of starting one', async () => {
    // Prepare
    // Imported the way createRuntime imports it: lazily, so Lambda bundles never load dynalite.
    const { startLocalDynamoDb } = await import('@cur/adapters-local');
    const server = await startLocalDynamoDb();
    const home = await mkdtemp(join(tmpdir(), 'cur-home-'));
    const config = loadPlatformConfig({ CUR_HOME: home, CUR_DYNAMODB_ENDPOINT: server.endpoint });

    // Act
    const writer = await createRuntime(config);
    await writer.keyValueStore.put('serving', { pk: 'c#1', sk: 'tags', tags: ['affluent'] });
    const reader = await createRuntime(config);
    const item = await reader.keyValueStore.get('serving', { pk: 'c#1', sk: 'tags' });
    await Promise.all([writer.close(), reader.close()]);
    await server.close();

    // Assess
    expect(item?.['tags']).toEqual(['affluent']);
    expect(existsSync(join(home, 'dynamodb'))).toBe(false);
  });
});

describe('createRuntime (local) state folder privacy', () => {
  it('makes the state folder owner-only, narrowing one made group-readable before, and names its SYSTEM scratch area', async () => {
    // Prepare: a state folder an older version (or a loose umask) left readable by group and others
    const home = join(await mkdtemp(join(tmpdir(), 'cur-home-')), '.cur');
    await mkdir(home, { mode: 0o755 });
    await chmod(home, 0o755);

    // Act
    const runtime = await createRuntime(loadPlatformConfig({ CUR_HOME: home }));
    await runtime.close();

    // Assess
    expect((await stat(home)).mode & 0o777).toBe(0o700);
    expect(runtime.localScratchDir).toBe(join(home, 'system-scratch'));
  });
});

describe('createRuntime (aws)', () => {
  it('names buckets, tables and topics from the stage without touching AWS', async () => {
    const runtime = await createRuntime(
      loadPlatformConfig({ CUR_MODE: 'aws', CUR_STAGE: 'uat', CUR_TOPIC_ARN_PREFIX: 'arn:aws:sns:ap-northeast-1:123456789012:cur-uat' }),
    );
    expect(runtime.blobStore('landing').bucket).toBe('cur-uat-landing');
    expect(runtime.blobStore('quarantine').bucket).toBe('cur-uat-quarantine');
    expect(runtime.localLakeDir).toBeUndefined();
    expect(runtime.localScratchDir).toBeUndefined();
    expect(() => runtime.keyVault()).toThrow(/CUR_MASKING_KEY_ID/);
    await runtime.close();
  });
});
