// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- dynalite ships no types; this file declares them for every project that compiles this one
/// <reference path="./dynalite.d.ts" />
import type { AddressInfo } from 'node:net';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { AdapterError } from '@cur/platform';
import { PRIVATE_FILE_MODE, makePrivateDir, narrowToOwner } from './private-files';

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
 * The data folder is owner-only (0700). LevelDB creates its files with its own mode (0644 less the umask), so every
 * file in the folder is narrowed to 0600 when the server starts (files a killed process left) and when it closes.
 *
 * @throws AdapterError when the data folder is locked by another `cur` process or the port is taken
 */
export async function startLocalDynamoDb(options: LocalDynamoDbOptions = {}): Promise<LocalDynamoDb> {
  const lockFile = options.dataDir === undefined ? undefined : `${options.dataDir}.lock`;
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
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) =>
        reject(new AdapterError(`could not start the local DynamoDB server: ${error.message}`, { cause: error })),
      );
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    if (lockFile !== undefined) await rm(lockFile, { force: true });
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
      });
      if (options.dataDir !== undefined) await narrowToOwner(options.dataDir);
      if (lockFile !== undefined) await rm(lockFile, { force: true });
    },
  };
}

/**
 * LevelDB allows one process per folder, and dynalite fails late and hard when a second one tries, so the folder
 * is claimed first: a lock file with our PID. A lock left by a process that no longer runs is taken over.
 */
async function takeLock(lockFile: string, dataDir: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await writeFile(lockFile, String(process.pid), { flag: 'wx', mode: PRIVATE_FILE_MODE });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) {
        throw new AdapterError(
          `the local DynamoDB data in ${dataDir} is in use by process ${holder}; wait for it to finish, or use another CUR_HOME`,
          { details: { pid: holder } },
        );
      }
      if (holder === process.pid) {
        throw new AdapterError(`this process already runs a local DynamoDB server on ${dataDir}; share that runtime instead of starting another`);
      }
      await rm(lockFile, { force: true });
    }
  }
  throw new AdapterError(`could not claim ${lockFile}`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
