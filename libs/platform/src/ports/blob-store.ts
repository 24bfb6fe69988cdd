import type { Readable } from 'node:stream';

/** What a blob store knows about one object. */
export interface BlobInfo {
  /** The object key, `/`-separated, as in S3. */
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date;
}

/** Options of {@link BlobStore.put}. */
export interface PutBlobOptions {
  /** @default 'application/octet-stream' */
  readonly contentType?: string;
  /** Lower-case hex SHA-256 the store must verify before it keeps the object. */
  readonly sha256?: string;
}

/** The result of a put. */
export interface PutBlobResult {
  readonly key: string;
  readonly size: number;
  /** Lower-case hex SHA-256 of the bytes stored. */
  readonly sha256: string;
}

/** Bytes to store: a whole buffer, text (UTF-8) or a stream for large files. */
export type BlobBody = Uint8Array | string | Readable;

/**
 * Objects in one bucket (one zone of the lake), addressed by S3-style keys. Implemented by a local folder and by S3;
 * both pass the same contract suite. A put is atomic: readers see the old object or the new one, never part of it.
 */
export interface BlobStore {
  /** The bucket this store writes to; locally a folder under the lake. */
  readonly bucket: string;
  /** Stores an object, replacing any object at the key. Rejects with a `CONDITION_FAILED` error if `sha256` does not match. */
  put(key: string, body: BlobBody, options?: PutBlobOptions): Promise<PutBlobResult>;
  /** Reads a whole object. Rejects with a `NOT_FOUND` error when there is none. */
  get(key: string): Promise<Uint8Array>;
  /** Streams an object. Rejects with a `NOT_FOUND` error when there is none. */
  getStream(key: string): Promise<Readable>;
  /** Describes an object, or `undefined` when there is none. */
  head(key: string): Promise<BlobInfo | undefined>;
  /** Lists objects whose key starts with `prefix`, in key order. */
  list(prefix?: string): AsyncIterable<BlobInfo>;
  /** Deletes an object; deleting a missing object is not an error. */
  delete(key: string): Promise<void>;
}
