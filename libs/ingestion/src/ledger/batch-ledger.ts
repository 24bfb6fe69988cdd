import type { KeyValueStore } from '@cur/platform';
import { CurError, NotFoundError, isCurError, queryPartition } from '@cur/platform';

const TABLE = 'batch-ledger';

/**
 * Where a batch stands. The pipeline moves it on from ACCEPTED; a DE retires a settled one (`cur ingest retire`) so a
 * corrected batch for the same dataset and date can be ingested.
 */
export const BATCH_STATUSES = ['ACCEPTED', 'QUARANTINED', 'MASKED', 'PUBLISHED', 'FAILED', 'RETIRED'] as const;

/** Why a batch is retired: a code, never free text (free text could quote a customer's data). */
export const RETIRE_REASONS = ['corrected-extract', 'wrong-extract', 'test-data'] as const;

/** One retire reason. */
export type RetireReason = (typeof RETIRE_REASONS)[number];

/** One batch status. */
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** The ledger's record of one dataset and business date. */
export interface BatchRecord {
  readonly batchId: string;
  readonly dataset: string;
  readonly businessDate: string;
  readonly status: BatchStatus;
  readonly sha256: string;
  readonly rowCount: number;
  readonly acceptedAt: string;
  readonly attempts: number;
  /** Where the batch waits in landing until the mask step consumes it. */
  readonly dataKey: string;
  readonly controlKey: string;
}

/**
 * One arrival of a batch, whatever came of it: `refused` is a push the sending side did not send (it failed the
 * checks before upload), recorded when the push client has the ledger (`cur ingest push`).
 */
export interface BatchAttempt {
  readonly attemptId: string;
  readonly batchId: string;
  readonly at: string;
  readonly outcome: 'accepted' | 'duplicate' | 'quarantined' | 'refused' | 'retired';
  readonly reasonCode?: string;
  readonly reason?: string;
  readonly quarantinePrefix?: string;
}

/** The outcome of claiming a batch. */
export type ClaimResult = { readonly kind: 'claimed' } | { readonly kind: 'duplicate'; readonly record: BatchRecord } | { readonly kind: 'conflict'; readonly record: BatchRecord };

/** The ledger key of a dataset and business date: one batch per dataset per day. */
export const batchIdOf = (dataset: string, businessDate: string): string => `${dataset}/${businessDate}`;

/**
 * The batch ledger in the `batch-ledger` table: one state item per dataset and business date, written with a
 * conditional put so a redelivered event or a re-sent batch is processed exactly once, and one item per arrival.
 */
export class BatchLedger {
  readonly #store: KeyValueStore;

  constructor(store: KeyValueStore) {
    this.#store = store;
  }

  /**
   * Claims a verified batch. The first claim wins; the same bytes again are a duplicate (a no-op for the caller);
   * other bytes for a dataset and date already ingested are a conflict, unless that batch was retired: then the new
   * one takes its place (conditionally on its still being retired, so two claims cannot both win).
   */
  async claim(batch: Omit<BatchRecord, 'status' | 'attempts'>): Promise<ClaimResult> {
    const item = { pk: `batch#${batch.batchId}`, sk: 'state', ...batch, status: 'ACCEPTED' as const, attempts: 1 };
    try {
      await this.#store.put(TABLE, item, { kind: 'absent' });
      return { kind: 'claimed' };
    } catch (error) {
      if (!isCurError(error, 'CONDITION_FAILED')) throw error;
    }
    const existing = await this.get(batch.batchId);
    if (!existing) return this.claim(batch);
    if (existing.status === 'RETIRED') {
      try {
        await this.#store.put(TABLE, { ...item, attempts: existing.attempts + 1 }, { kind: 'equals', attribute: 'status', value: 'RETIRED' });
        return { kind: 'claimed' };
      } catch (error) {
        if (!isCurError(error, 'CONDITION_FAILED')) throw error;
        return this.claim(batch);
      }
    }
    if (existing.sha256 === batch.sha256) return { kind: 'duplicate', record: existing };
    return { kind: 'conflict', record: existing };
  }

  async get(batchId: string): Promise<BatchRecord | undefined> {
    const item = await this.#store.get(TABLE, { pk: `batch#${batchId}`, sk: 'state' });
    if (!item) return undefined;
    const { pk: _pk, sk: _sk, ...record } = item;
    return record as unknown as BatchRecord;
  }

  /** Moves a batch to a new status, only from the status the caller saw. */
  async setStatus(batchId: string, from: BatchStatus, to: BatchStatus): Promise<void> {
    const current = await this.get(batchId);
    if (!current) return;
    await this.#store.put(TABLE, { pk: `batch#${batchId}`, sk: 'state', ...current, status: to }, { kind: 'equals', attribute: 'status', value: from });
  }

  /**
   * Retires a settled batch (masked, published or failed) so a corrected one for its dataset and date is accepted
   * instead of quarantined as ALREADY_INGESTED. Conditional on the status seen, and recorded as an attempt with its
   * reason code. What it published stays until the corrected batch's run replaces the date's partitions.
   *
   * @returns the record as it was before retirement
   * @throws NotFoundError when no batch was accepted for that dataset and date
   * @throws ValidationError BATCH_NOT_SETTLED when it is still waiting to be masked (retire after `cur run`), or
   *   already retired
   */
  async retire(batchId: string, reason: RetireReason, at: string, attemptId: string): Promise<BatchRecord> {
    const current = await this.get(batchId);
    if (!current) throw new NotFoundError(`no batch ${batchId} was accepted; cur ingest status lists the batches`, { details: { batchId } });
    if (current.status === 'ACCEPTED' || current.status === 'RETIRED') {
      throw new CurError(
        'BATCH_NOT_SETTLED',
        current.status === 'ACCEPTED'
          ? `batch ${batchId} is still waiting to be masked; run cur run first, then retire it`
          : `batch ${batchId} is already retired; push the corrected batch`,
        { details: { batchId, status: current.status } },
      );
    }
    await this.#store.put(TABLE, { pk: `batch#${batchId}`, sk: 'state', ...current, status: 'RETIRED' }, { kind: 'equals', attribute: 'status', value: current.status });
    await this.recordAttempt({ attemptId, batchId, at, outcome: 'retired', reasonCode: reason });
    return current;
  }

  async recordAttempt(attempt: BatchAttempt): Promise<void> {
    await this.#store.put(TABLE, { pk: `batch#${attempt.batchId}`, sk: `attempt#${attempt.at}#${attempt.attemptId}`, ...attempt });
    await this.#store.put(TABLE, { pk: 'index', sk: attempt.batchId, batchId: attempt.batchId, lastAttemptAt: attempt.at, lastOutcome: attempt.outcome });
  }

  /** Every batch with its state (if accepted) and its attempts, newest business date first. */
  async list(): Promise<{ batchId: string; record: BatchRecord | undefined; attempts: BatchAttempt[] }[]> {
    const index = await queryPartition(this.#store, TABLE, 'index');
    const rows = await Promise.all(
      index.map(async (entry) => {
        const batchId = String(entry['batchId']);
        const items = await queryPartition(this.#store, TABLE, `batch#${batchId}`);
        const state = items.find((item) => item.sk === 'state');
        const attempts = items.filter((item) => item.sk.startsWith('attempt#')).map(({ pk: _pk, sk: _sk, ...attempt }) => attempt as unknown as BatchAttempt);
        const record = state ? (({ pk: _pk, sk: _sk, ...rest }) => rest as unknown as BatchRecord)(state) : undefined;
        return { batchId, record, attempts };
      }),
    );
    return rows.sort((a, b) => b.batchId.localeCompare(a.batchId));
  }
}
