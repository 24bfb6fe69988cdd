// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- dynalite ships no types; this file declares them for every project that compiles this one
/// <reference path="./dynalite.d.ts" />
import type { AddressInfo } from 'node:net';
import { mkdir } from 'node:fs/promises';
import { AdapterError } from '@cur/platform';

/** A DynamoDB API server running inside this process. */
export interface LocalDynamoDb {
  /** e.g. `http://127.0.0.1:43817` */
  readonly endpoint: string;
  close(): Promise<void>;
}

/** Options of {@link startLocalDynamoDb}. */
export interface LocalDynamoDbOptions {
  /** LevelDB folder for the tables; in memory when absent (tests). */
  readonly dataDir?: string;
  /** @default 0 (a free port) */
  readonly port?: number;
}

/**
 * Starts dynalite, a real DynamoDB API server, on a loopback port inside this process. The DynamoDB adapter talks
 * to it exactly as it talks to DynamoDB. Only one process can hold a data folder at a time.
 *
 * @throws AdapterError when the data folder is locked by another `cur` process or the port is taken
 */
export async function startLocalDynamoDb(options: LocalDynamoDbOptions = {}): Promise<LocalDynamoDb> {
  if (options.dataDir !== undefined) await mkdir(options.dataDir, { recursive: true });
  // Loaded on demand: dynalite pulls in LevelDB's native addon, which a Lambda bundle must never need.
  const { default: dynalite } = await import('dynalite');
  const server = dynalite({
    ...(options.dataDir === undefined ? {} : { path: options.dataDir }),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(new AdapterError(`could not start the local DynamoDB server: ${error.message}`, { cause: error })),
    );
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
