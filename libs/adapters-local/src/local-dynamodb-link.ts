import { randomBytes } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CurError } from '@cur/platform';
import {
  LOCAL_DYNAMODB_ERROR_CODES,
  LOCAL_DYNAMODB_TOKEN_HEADER,
  StateFolderBusyError,
  localDynamoDbLockFile,
  startLocalDynamoDb,
  type LocalDynamoDb,
} from './local-dynamodb';
import { isProcessRunning, readLockRecord, type LockRecord } from './pid-lock';

export {
  LOCAL_DYNAMODB_ERROR_CODES,
  LOCAL_DYNAMODB_TOKEN_HEADER,
  StateFolderBusyError,
  localDynamoDbLockFile,
  startLocalDynamoDb,
} from './local-dynamodb';
export type { LocalDynamoDb, LocalDynamoDbOptions } from './local-dynamodb';

/** Where a process sends its DynamoDB requests: a loopback port and the token it must send. */
export interface LocalDynamoDbTarget {
  readonly port: number;
  readonly token: string;
  /** Set when this process serves the data folder itself. */
  readonly server?: LocalDynamoDb;
}

/** Options of {@link LocalDynamoDbLink}. */
export interface LocalDynamoDbLinkOptions {
  /** The LevelDB folder, `<home>/dynamodb`. */
  readonly dataDir: string;
  /**
   * How long to wait for a process that holds the folder but does not serve it yet (it is starting, or closing).
   * @default 15000
   */
  readonly waitMs?: number;
}

/** How often a process waiting for another's server looks again. */
const POLL_MS = 50;
/** How long a probe of another process's server may take before it counts as not serving. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * One state folder's DynamoDB shared by every `cur` process of its owner. The first process that needs it serves the
 * data folder with dynalite on loopback ({@link startLocalDynamoDb}, which claims the folder's lock file) and writes
 * its port and a random token to that lock file (0600); the others read it and connect with the ordinary DynamoDB
 * client, sending the token. LevelDB still has one writer, the serving process, and every conditional write (the
 * ledger's, the serving lease's, the key ring's) is decided there, so the guarantees of one DynamoDB table hold.
 *
 * Nothing is started or connected until the first request ({@link target}), so commands that never touch DynamoDB
 * (`cur status`) neither need nor write the lock file. When the serving process exits (its command ended, or it was
 * killed), the others' next request is refused; {@link attach}'s middleware then calls {@link recover}, which finds
 * who serves now or takes the folder over (a lock of a dead process is taken over safely, see `claimPidLock`) and
 * retries the request once: a refused connection never reached the server, so nothing is applied twice.
 *
 * @example
 * const link = new LocalDynamoDbLink({ dataDir: join(home, 'dynamodb') });
 * const client = new DynamoDBClient({ endpoint: LOCAL_DYNAMODB_PLACEHOLDER_ENDPOINT, region, credentials });
 * link.attach(client);
 * // ... requests go to whichever process serves the folder ...
 * client.destroy(); await link.close();
 */
export class LocalDynamoDbLink {
  readonly #dataDir: string;
  readonly #waitMs: number;
  #current: Promise<LocalDynamoDbTarget> | undefined;
  #closed = false;

  constructor(options: LocalDynamoDbLinkOptions) {
    this.#dataDir = options.dataDir;
    this.#waitMs = options.waitMs ?? 15_000;
  }

  /** Where requests go now; the first call connects to the serving process, or serves the folder. */
  target(): Promise<LocalDynamoDbTarget> {
    if (this.#closed) return Promise.reject(new CurError('ADAPTER_FAILURE', `the local DynamoDB link of ${this.#dataDir} is closed`));
    if (this.#current === undefined) {
      const opening = this.#open();
      this.#current = opening;
      // A failed open is not kept: the next request tries again.
      opening.catch(() => {
        if (this.#current === opening) this.#current = undefined;
      });
    }
    return this.#current;
  }

  /**
   * After a connection to `stale` was refused: the serving process has gone. Finds the new one or serves the folder;
   * concurrent callers share one recovery.
   */
  async recover(stale: LocalDynamoDbTarget): Promise<LocalDynamoDbTarget> {
    const current = await this.target().catch(() => undefined);
    if (current === undefined || (current.port === stale.port && current.token === stale.token)) {
      this.#current = undefined;
    }
    return this.target();
  }

  /** True when this process serves the folder now (it was first, or took over). */
  async serving(): Promise<boolean> {
    const current = this.#current === undefined ? undefined : await this.#current.catch(() => undefined);
    return current?.server !== undefined;
  }

  /**
   * Routes every request of `client` through the link: sets the port and token of the current target, and on a
   * refused connection recovers and retries once. Runs inside the SDK's retry loop (finalizeRequest, low priority),
   * so each attempt is aimed anew.
   */
  attach(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next) => async (args) => {
        let target = await this.target();
        aim(args.request, target);
        try {
          return await next(args);
        } catch (error) {
          if (!isConnectionRefused(error)) throw error;
          target = await this.recover(target);
          aim(args.request, target);
          return next(args);
        }
      },
      { step: 'finalizeRequest', priority: 'low', name: 'curLocalDynamoDbLink' },
    );
  }

  /** Stops serving when this process serves (the others take over on their next request); otherwise nothing. */
  async close(): Promise<void> {
    this.#closed = true;
    const current = this.#current === undefined ? undefined : await this.#current.catch(() => undefined);
    this.#current = undefined;
    await current?.server?.close();
  }

  async #open(): Promise<LocalDynamoDbTarget> {
    const deadline = Date.now() + this.#waitMs;
    let lastHolder: LockRecord | undefined;
    for (;;) {
      const token = randomBytes(32).toString('hex');
      try {
        const server = await startLocalDynamoDb({ dataDir: this.#dataDir, accessToken: token });
        return { port: Number(new URL(server.endpoint).port), token, server };
      } catch (error) {
        const holder = await this.#holderAfter(error);
        lastHolder = holder;
        if (holder.port !== undefined && holder.token !== undefined && (await probe(holder.port, holder.token))) {
          return { port: holder.port, token: holder.token };
        }
      }
      if (Date.now() > deadline) {
        throw new CurError(
          LOCAL_DYNAMODB_ERROR_CODES.STATE_FOLDER_BUSY,
          `process ${lastHolder?.pid ?? '(unknown)'} holds the local DynamoDB data in ${this.#dataDir} but did not serve it within ${this.#waitMs} ms; ` +
            `wait for it to finish, or stop it`,
          { details: { pid: lastHolder?.pid ?? 0 } },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** The live holder behind a failed start, or the start's error when it was not about a held folder. */
  async #holderAfter(error: unknown): Promise<LockRecord> {
    if (error instanceof StateFolderBusyError) return error.holder;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') {
      // A read-only state folder still works while another process serves it.
      const holder = await readLockRecord(localDynamoDbLockFile(this.#dataDir)).catch(() => undefined);
      if (holder !== undefined && isProcessRunning(holder.pid)) return holder;
      throw new CurError(
        LOCAL_DYNAMODB_ERROR_CODES.STATE_FOLDER_READ_ONLY,
        `the state folder's DynamoDB data in ${this.#dataDir} cannot be written (${code}) and no other cur process serves it: ` +
          `make the state folder writable by its owner, or start \`cur serve\` on it as a user who can write it`,
        { cause: error, details: { folder: this.#dataDir } },
      );
    }
    throw error;
  }
}

/**
 * The endpoint a linked client is created with: its port is replaced on every request by {@link LocalDynamoDbLink}.
 */
export const LOCAL_DYNAMODB_PLACEHOLDER_ENDPOINT = 'http://127.0.0.1:9';

function aim(request: unknown, target: LocalDynamoDbTarget): void {
  if (typeof request !== 'object' || request === null || !('headers' in request)) return;
  const http = request as { port?: number; hostname?: string; headers: Record<string, string> };
  http.hostname = '127.0.0.1';
  http.port = target.port;
  http.headers[LOCAL_DYNAMODB_TOKEN_HEADER] = target.token;
}

function isConnectionRefused(error: unknown): boolean {
  const shape = error as { code?: unknown; errors?: unknown[] } | undefined;
  if (shape?.code === 'ECONNREFUSED') return true;
  return Array.isArray(shape?.errors) && shape.errors.some((inner) => (inner as { code?: unknown } | undefined)?.code === 'ECONNREFUSED');
}

/** True when a server answers a DynamoDB ListTables with this token on this loopback port. */
async function probe(port: number, token: string): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
        'x-amz-date': '20260101T000000Z',
        // dynalite wants a SigV4-shaped header; it does not check the signature (the token is the check).
        authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/ap-northeast-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
        [LOCAL_DYNAMODB_TOKEN_HEADER]: token,
      },
      body: '{"Limit":1}',
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}
