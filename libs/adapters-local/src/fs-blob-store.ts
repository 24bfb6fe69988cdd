import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobBody, BlobInfo, BlobStore, PutBlobOptions, PutBlobResult } from '@cur/platform';
import { ConditionFailedError, NotFoundError, assertSafeBlobKey } from '@cur/platform';
import { PRIVATE_FILE_MODE, makePrivateDir } from './private-files';

/** Temporary files of in-flight puts start with this; listings skip them. */
const TEMP_PREFIX = '.put-';

/**
 * A {@link BlobStore} on a local folder laid out like S3: `<root>/<bucket>/<key>`. Puts write a temporary file
 * beside the target and rename it into place, so a reader sees the old object or the new one, never a part. Objects are
 * owner-only files (0600) in owner-only folders (0700), whatever the umask: landing and quarantine hold plaintext.
 */
export class FsBlobStore implements BlobStore {
  readonly bucket: string;
  readonly #bucketDir: string;

  /**
   * @param root - the local lake folder, e.g. `.cur/lake`
   * @param bucket - the bucket (zone) name; a sub-folder of `root`
   */
  constructor(root: string, bucket: string) {
    assertSafeBlobKey(bucket);
    this.bucket = bucket;
    this.#bucketDir = join(root, bucket);
  }

  async put(key: string, body: BlobBody, options: PutBlobOptions = {}): Promise<PutBlobResult> {
    const target = this.#path(key);
    await makePrivateDir(dirname(target));
    const temp = join(dirname(target), `${TEMP_PREFIX}${randomUUID()}`);
    const hash = createHash('sha256');
    let size = 0;
    try {
      const source = typeof body === 'string' || body instanceof Uint8Array ? Readable.from([Buffer.from(body)]) : body;
      await pipeline(
        source,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            hash.update(chunk);
            size += chunk.length;
            yield chunk;
          }
        },
        createWriteStream(temp, { mode: PRIVATE_FILE_MODE }),
      );
      const sha256 = hash.digest('hex');
      if (options.sha256 !== undefined && options.sha256 !== sha256) {
        throw new ConditionFailedError(`checksum mismatch for '${key}' in bucket '${this.bucket}': the bytes received are not the bytes announced`, {
          details: { bucket: this.bucket, key },
        });
      }
      await rename(temp, target);
      return { key, size, sha256 };
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      return await readFile(this.#path(key));
    } catch (error) {
      throw this.#notFoundOr(error, key);
    }
  }

  async getStream(key: string): Promise<Readable> {
    const path = this.#path(key);
    try {
      await stat(path);
    } catch (error) {
      throw this.#notFoundOr(error, key);
    }
    return createReadStream(path);
  }

  async head(key: string): Promise<BlobInfo | undefined> {
    try {
      const info = await stat(this.#path(key));
      return info.isFile() ? { key, size: info.size, lastModified: info.mtime } : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async *list(prefix = ''): AsyncIterable<BlobInfo> {
    const files: string[] = [];
    await collectFiles(this.#bucketDir, files);
    const keys = files
      .map((file) => relative(this.#bucketDir, file).split(sep).join('/'))
      .filter((key) => key.startsWith(prefix))
      .sort();
    for (const key of keys) {
      const info = await this.head(key);
      if (info) yield info;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.#path(key), { force: true });
  }

  #path(key: string): string {
    assertSafeBlobKey(key);
    return join(this.#bucketDir, ...key.split('/'));
  }

  #notFoundOr(error: unknown, key: string): unknown {
    return isMissing(error)
      ? new NotFoundError(`no object '${key}' in bucket '${this.bucket}'`, { cause: error, details: { bucket: this.bucket, key } })
      : error;
  }
}

async function collectFiles(dir: string, into: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await collectFiles(path, into);
    else if (entry.isFile() && !entry.name.startsWith(TEMP_PREFIX)) into.push(path);
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Writes a file atomically (temp + rename), owner-only; for small state files such as the outbox. @internal */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await makePrivateDir(dirname(path));
  const temp = `${path}.${randomUUID()}.tmp`;
  await writeFile(temp, data, { mode: PRIVATE_FILE_MODE });
  await rename(temp, path);
}
