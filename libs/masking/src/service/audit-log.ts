import { randomUUID } from 'node:crypto';
import type { Role } from '@cur/contracts';
import type { KeyValueStore } from '@cur/platform';
import { queryPartition } from '@cur/platform';

/** One audited operation. It says who, what and how many; never a value or a token. */
export interface AuditEntry {
  readonly at: string;
  readonly principal: string;
  /** The operating-system user of a local `cur` process (see `Caller.osUser`); absent in AWS. */
  readonly osUser?: string;
  readonly role: Role | 'UNKNOWN';
  readonly operation: 'tokenize' | 'lookup' | 'detokenize' | 'rotate' | 'retokenize' | 'retire-batch';
  readonly outcome: 'allowed' | 'refused';
  readonly dataset?: string;
  readonly column?: string;
  readonly keyGroup?: string;
  readonly count: number;
  readonly reason?: string;
}

const TABLE = 'audit-log';

/**
 * The audit trail of detokenizations, key rotations, re-tokenisations and batch retirements, in the `audit-log` table: one partition per
 * UTC day, sorted by time, so a day's entries read in order. Writes are conditional on a fresh key, never overwrites.
 */
export class AuditLog {
  readonly #store: KeyValueStore;
  readonly #now: () => Date;

  constructor(store: KeyValueStore, now: () => Date = () => new Date()) {
    this.#store = store;
    this.#now = now;
  }

  async record(entry: Omit<AuditEntry, 'at'>): Promise<AuditEntry> {
    const at = this.#now().toISOString();
    const full: AuditEntry = { at, ...entry };
    await this.#store.put(TABLE, { pk: `audit#${at.slice(0, 10)}`, sk: `${at}#${randomUUID()}`, ...full }, { kind: 'absent' });
    return full;
  }

  /** A day's entries, oldest first. @param day - `YYYY-MM-DD` (UTC) */
  async day(day: string): Promise<AuditEntry[]> {
    const items = await queryPartition(this.#store, TABLE, `audit#${day}`);
    return items.map(({ pk: _pk, sk: _sk, ...entry }) => entry as unknown as AuditEntry);
  }
}
