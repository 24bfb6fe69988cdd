import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll } from 'vitest';
import { describeBlobStoreContract } from '@cur/platform/testing';
import { S3BlobStore } from '../../src/index';

/**
 * The S3 adapter against s3rver, an S3-protocol server on loopback: real HTTP, real SDK serialisation, no mocked
 * client. s3rver does not verify SHA-256 checksums, so the checksum case exercises the adapter's own check.
 */
let server: S3rver;
let client: S3Client;
let bucketCount = 0;

beforeAll(async () => {
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: await mkdtemp(join(tmpdir(), 'cur-s3rver-')) });
  const { port } = await server.run();
  client = new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'ap-northeast-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
});
afterAll(async () => {
  client.destroy();
  await server.close();
});

describeBlobStoreContract('S3BlobStore on s3rver', async () => {
  bucketCount += 1;
  const bucket = `cur-test-${bucketCount}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return new S3BlobStore(client, bucket, { partSize: 5 * 1024 * 1024 });
});
