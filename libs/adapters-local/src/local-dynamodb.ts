// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- dynalite ships no types; this file declares them for every project that compiles this one
/// <reference path="./dynalite.d.ts" />
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AdapterError, CurError, type CurErrorOptions } from '@cur/platform';
import { claimPidLock, releasePidLock, updatePidLock, type LockRecord } from './pid-lock';
import { makePrivateDir, narrowToOwner } from './private-files';

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
  /**
   * When set, a request without this value in the {@link LOCAL_DYNAMODB_TOKEN_HEADER} header is refused (403), and
   * the port and token are written to the folder's lock file (0600) for other `cur` processes of the same owner.
   * @default undefined (any local process may connect, as to a bare dynalite)
   */
  readonly accessToken?: string;
}

/** The header a `cur` process sends its state folder's shared DynamoDB server, holding the lock file's token. */
export const LOCAL_DYNAMODB_TOKEN_HEADER = 'x-cur-local-dynamodb-token';

/** Codes of the local DynamoDB's state-folder errors. */
export const LOCAL_DYNAMODB_ERROR_CODES = {
  /** Another live process holds the state folder's DynamoDB data. */
  STATE_FOLDER_BUSY: 'STATE_FOLDER_BUSY',
  /** The state folder cannot be written, and no other process serves its DynamoDB data. */
  STATE_FOLDER_READ_ONLY: 'STATE_FOLDER_READ_ONLY',
} as const;

/** The data folder is held by another live process; {@link holder} says which and, once it serves, where. */
export class StateFolderBusyError extends CurError {
  readonly holder: LockRecord;

  constructor(message: string, holder: LockRecord, options?: CurErrorOptions) {
    super(LOCAL_DYNAMODB_ERROR_CODES.STATE_FOLDER_BUSY, message, { ...options, details: { pid: holder.pid } });
    this.name = 'StateFolderBusyError';
    this.holder = holder;
  }
}

/** The lock file's path of a data folder: `<home>/dynamodb.lock` for `<home>/dynamodb`. */
export function localDynamoDbLockFile(dataDir: string): string {
  return `${dataDir}.lock`;
}

/**
 * Starts dynalite, a real DynamoDB API server, on a loopback port inside this process. The DynamoDB adapter talks
 * to it exactly as it talks to DynamoDB. Only one process can hold a data folder at a time (LevelDB's rule, and
 * dynalite crashes when a second one tries): the folder is claimed first through its lock file, which names this
 * process and, with `accessToken`, the port and token other processes connect with (see `LocalDynamoDbLink`).
 *
 * The data folder is owner-only (0700). LevelDB creates its files with its own mode (0644 less the umask), so every
 * file in the folder is narrowed to 0600 when the server starts (files a killed process left) and when it closes.
 *
 * @throws StateFolderBusyError when another live process, or this one, holds the data folder
 * @throws AdapterError when the port is taken
 */
export async function startLocalDynamoDb(options: LocalDynamoDbOptions = {}): Promise<LocalDynamoDb> {
  const lockFile = options.dataDir === undefined ? undefined : localDynamoDbLockFile(options.dataDir);
  if (options.dataDir !== undefined && lockFile !== undefined) {
    await makePrivateDir(options.dataDir);
    await takeLock(lockFile, options.dataDir);
    await narrowToOwner(options.dataDir);
  }
  // Loaded on demand: dynalite pulls in LevelDB's native addon, which a Lambda bundle must never need.
  const { default: dynalite } = await import('dynalite');
  const server = dynalite({
    ...(options.dataDir === undefined ? {} : { path: options.dataDir }),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  if (options.accessToken !== undefined) requireToken(server, options.accessToken);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) =>
        reject(new AdapterError(`could not start the local DynamoDB server: ${error.message}`, { cause: error })),
      );
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    if (lockFile !== undefined) await releasePidLock(lockFile);
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  if (lockFile !== undefined && options.accessToken !== undefined) {
    await updatePidLock(lockFile, { pid: process.pid, port, token: options.accessToken });
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Other processes' keep-alive sockets would hold the server open; they reconnect (and take over) on demand.
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
      });
      if (options.dataDir !== undefined) await narrowToOwner(options.dataDir);
      if (lockFile !== undefined) await releasePidLock(lockFile);
    },
  };
}

/** How long a closing server lets other processes' requests in flight finish before dropping their sockets. */
const CLOSE_GRACE_MS = 2_000;

/** Puts a token check in front of dynalite's own request listener. */
function requireToken(server: Server, token: string): void {
  const expected = Buffer.from(token);
  const listeners = server.listeners('request') as ((request: IncomingMessage, response: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const sent = Buffer.from(String(request.headers[LOCAL_DYNAMODB_TOKEN_HEADER] ?? ''));
    if (sent.length === expected.length && timingSafeEqual(sent, expected)) {
      for (const listener of listeners) listener(request, response);
      return;
    }
    request.resume();
    response.writeHead(403, { 'content-type': 'application/x-amz-json-1.0' });
    response.end(
      JSON.stringify({
        __type: 'com.amazonaws.dynamodb.v20120810#AccessDeniedException',
        message: `this local DynamoDB server takes requests only with the token in its state folder's lock file`,
      }),
    );
  });
}

/**
 * Claims the data folder's lock file for this process; a lock left by a process that no longer runs is taken over.
 */
async function takeLock(lockFile: string, dataDir: string): Promise<void> {
  const result = await claimPidLock(lockFile, { pid: process.pid });
  if (result.claimed) return;
  if (result.holder.pid === process.pid) {
    throw new StateFolderBusyError(`this process already runs a local DynamoDB server on ${dataDir}; share that runtime instead of starting another`, result.holder);
  }
  throw new StateFolderBusyError(
    `the local DynamoDB data in ${dataDir} is in use by process ${result.holder.pid}; wait for it to finish, or use another CUR_HOME`,
    result.holder,
  );
}
