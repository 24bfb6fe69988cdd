import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { BlobBody, BlobInfo, BlobStore, PutBlobOptions, PutBlobResult } from '@cur/platform';
import { AdapterError, ConditionFailedError, NotFoundError, assertSafeBlobKey } from '@cur/platform';

/** Options of {@link S3BlobStore}. */
export interface S3BlobStoreOptions {
  /** SSE-KMS key for new objects; the bucket default applies when absent. */
  readonly kmsKeyId?: string;
  /** Multipart part size for streamed puts. @default 16 MiB */
  readonly partSize?: number;
}

/**
 * A {@link BlobStore} on one S3 bucket. Buffers go up in one PutObject whose SHA-256 checksum S3 verifies before it
 * keeps the object; streams go up as a multipart upload, hashed on the way.
 */
export class S3BlobStore implements BlobStore {
  readonly bucket: string;
  readonly #client: S3Client;
  readonly #options: S3BlobStoreOptions;

  constructor(client: S3Client, bucket: string, options: S3BlobStoreOptions = {}) {
    this.#client = client;
    this.bucket = bucket;
    this.#options = options;
  }

  async put(key: string, body: BlobBody, options: PutBlobOptions = {}): Promise<PutBlobResult> {
    assertSafeBlobKey(key);
    const encryption = this.#options.kmsKeyId
      ? { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: this.#options.kmsKeyId, BucketKeyEnabled: true }
      : {};
    const ContentType = options.contentType ?? 'application/octet-stream';
    if (typeof body === 'string' || body instanceof Uint8Array) {
      const bytes = Buffer.from(body);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      if (options.sha256 !== undefined && options.sha256 !== sha256) throw this.#mismatch(key);
      await this.#call('put', key, () =>
        this.#client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: bytes,
            ContentType,
            ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
            ...encryption,
          }),
        ),
      );
      return { key, size: bytes.length, sha256 };
    }
    const hash = createHash('sha256');
    let size = 0;
    const counted = new PassThrough();
    body.on('error', (error) => counted.destroy(error));
    body.pipe(counted);
    counted.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      size += chunk.length;
    });
    const upload = new Upload({
      client: this.#client,
      params: { Bucket: this.bucket, Key: key, Body: counted, ContentType, ...encryption },
      partSize: this.#options.partSize ?? 16 * 1024 * 1024,
      leavePartsOnError: false,
    });
    await this.#call('put', key, () => upload.done());
    const sha256 = hash.digest('hex');
    if (options.sha256 !== undefined && options.sha256 !== sha256) {
      await this.delete(key);
      throw this.#mismatch(key);
    }
    return { key, size, sha256 };
  }

  async get(key: string): Promise<Uint8Array> {
    const stream = await this.getStream(key);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async getStream(key: string): Promise<Readable> {
    assertSafeBlobKey(key);
    try {
      const result = await this.#client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!(result.Body instanceof Readable)) throw new AdapterError(`S3 returned no stream for '${key}'`);
      return result.Body;
    } catch (error) {
      if (error instanceof NoSuchKey) {
        throw new NotFoundError(`no object '${key}' in bucket '${this.bucket}'`, { cause: error, details: { bucket: this.bucket, key } });
      }
      throw error instanceof AdapterError ? error : this.#wrap('get', key, error);
    }
  }

  async head(key: string): Promise<BlobInfo | undefined> {
    assertSafeBlobKey(key);
    try {
      const result = await this.#client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { key, size: result.ContentLength ?? 0, lastModified: result.LastModified ?? new Date(0) };
    } catch (error) {
      if (error instanceof NotFound || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
      throw this.#wrap('head', key, error);
    }
  }

  async *list(prefix = ''): AsyncIterable<BlobInfo> {
    let ContinuationToken: string | undefined;
    do {
      const token = ContinuationToken;
      const page = await this.#call('list', prefix, () =>
        this.#client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) })),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key !== undefined) yield { key: object.Key, size: object.Size ?? 0, lastModified: object.LastModified ?? new Date(0) };
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  async delete(key: string): Promise<void> {
    assertSafeBlobKey(key);
    await this.#call('delete', key, () => this.#client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })));
  }

  async #call<T>(operation: string, key: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw this.#wrap(operation, key, error);
    }
  }

  #wrap(operation: string, key: string, error: unknown): AdapterError {
    const name = error instanceof Error ? error.name : 'unknown error';
    return new AdapterError(`S3 ${operation} of '${key}' in bucket '${this.bucket}' failed (${name})`, {
      cause: error,
      details: { bucket: this.bucket, key, operation },
    });
  }

  #mismatch(key: string): ConditionFailedError {
    return new ConditionFailedError(`checksum mismatch for '${key}' in bucket '${this.bucket}': the bytes received are not the bytes announced`, {
      details: { bucket: this.bucket, key },
    });
  }
}
