import { createRequire } from 'node:module';
import { setTimeout as delay } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { AdapterError, CurError, type CurErrorOptions } from '@cur/platform';
import { pinLevelDbAddon } from './leveldb-addon-pin';
import { claimPidLock, releasePidLock, updatePidLock, type LockRecord } from './pid-lock';
import { LOCAL_DYNAMODB_SERVER_THREAD } from './local-dynamodb-server-thread';
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
 * Starts dynalite, a real DynamoDB API server, on a loopback port, on a worker thread of this process. The DynamoDB adapter talks
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
  // dynalite runs on a thread of its own (see LOCAL_DYNAMODB_SERVER_THREAD), loaded there: it pulls in LevelDB's
  // native addon, which a Lambda bundle must never need.
  let dynalitePath: string;
  try {
    dynalitePath = createRequire(import.meta.url).resolve('dynalite');
    // Loaded here too, so the addon outlives the server's thread (see pinLevelDbAddon).
    pinLevelDbAddon(dynalitePath);
  } catch (error) {
    if (lockFile !== undefined) await releasePidLock(lockFile);
    throw new AdapterError('could not start the local DynamoDB server: dynalite or its LevelDB addon is not installed (npm ci)', { cause: error });
  }
  const worker = new Worker(LOCAL_DYNAMODB_SERVER_THREAD, {
    eval: true,
    workerData: { dynalitePath, dataDir: options.dataDir, port: options.port ?? 0, accessToken: options.accessToken, tokenHeader: LOCAL_DYNAMODB_TOKEN_HEADER, closeGraceMs: CLOSE_GRACE_MS },
  });
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      const failed = (message: string, cause?: unknown): void => reject(new AdapterError(`could not start the local DynamoDB server: ${message}`, cause === undefined ? {} : { cause }));
      worker.once('message', (message: ServerThreadMessage) => (message.kind === 'listening' ? resolve(message.port) : failed(message.message ?? message.kind)));
      worker.once('error', (error) => failed(error.message, error));
      worker.once('exit', (code) => failed(`its thread exited (${code})`));
    });
  } catch (error) {
    await worker.terminate();
    if (lockFile !== undefined) await releasePidLock(lockFile);
    throw error;
  }
  worker.removeAllListeners('exit');
  worker.removeAllListeners('error');
  if (lockFile !== undefined && options.accessToken !== undefined) {
    await updatePidLock(lockFile, { pid: process.pid, port, token: options.accessToken });
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      try {
        await new Promise<void>((resolve, reject) => {
          worker.once('message', (message: ServerThreadMessage) => (message.kind === 'closed' && message.message !== undefined ? reject(new AdapterError(`could not close the local DynamoDB server: ${message.message}`)) : resolve()));
          void exited.then(resolve);
          worker.postMessage('close');
        });
        // With its server and LevelDB closed the thread ends by itself.
        await Promise.race([exited, delay(THREAD_EXIT_WAIT_MS, undefined, { ref: false })]);
      } finally {
        // A thread that has not ended (a failed close) is stopped: that too closes LevelDB, so the next process can
        // open the folder.
        await worker.terminate();
        if (options.dataDir !== undefined) await narrowToOwner(options.dataDir);
        if (lockFile !== undefined) await releasePidLock(lockFile);
      }
    },
  };
}

/** What the server's thread ({@link LOCAL_DYNAMODB_SERVER_THREAD}) tells this one. */
interface ServerThreadMessage {
  readonly kind: 'listening' | 'error' | 'closed';
  readonly port: number;
  readonly message?: string;
}

/** How long a closed server's thread gets to end by itself before it is terminated. */
const THREAD_EXIT_WAIT_MS = 5_000;

/** How long a closing server lets other processes' requests in flight finish before dropping their sockets. */
const CLOSE_GRACE_MS = 2_000;

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
