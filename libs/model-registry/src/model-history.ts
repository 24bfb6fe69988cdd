import { randomUUID } from 'node:crypto';
import type { KeyValueStore, Item } from '@cur/platform';
import { AccessDeniedError, CurError, NotFoundError, isCurError, queryPartition } from '@cur/platform';
import { TERMINAL_STATUSES, type TrainingDataRef, type TrainingJobChange, type TrainingJobFacts, type TrainingJobStatus } from './training-job-change';

const TABLE = 'model-history';

/** Who acts on the history: the same shape as the masking service's caller (principal, role, the OS user locally). */
export interface ModelCaller {
  readonly principal: string;
  readonly role: string;
  readonly osUser?: string;
}

/** Roles that may read a version whole (hyperparameters, lineage, who started it) and promote or roll back. */
export const MODEL_OWNER_ROLES: readonly string[] = ['DS', 'SYSTEM'];

/** Roles that may read versions' metrics and statuses only. */
export const MODEL_METRIC_READER_ROLES: readonly string[] = ['DA'];

/** One status a version went through. */
export interface StatusChange {
  readonly status: TrainingJobStatus;
  readonly secondaryStatus?: string;
  readonly at: string;
}

/** A model version: one training job, as the history knows it. */
export interface ModelVersion extends TrainingJobFacts {
  readonly createdAt: string;
  readonly timeline: readonly StatusChange[];
}

/** What a metrics reader (DA) sees of a version. */
export type ModelVersionMetrics = Pick<ModelVersion, 'versionId' | 'status' | 'createdAt' | 'timeline' | 'metrics' | 'targetTag'>;

/** The scoring pointer: the promoted version and the ones promoted before it, newest last. */
export interface ScoringPointer {
  readonly versionId: string;
  readonly revision: number;
  readonly promoted: readonly string[];
  readonly at: string;
}

/** One audited change of the history. Names versions and people, never data. */
export interface ModelAuditEntry {
  readonly at: string;
  readonly operation: 'record' | 'promote' | 'rollback';
  readonly outcome: 'allowed' | 'refused';
  readonly versionId: string;
  readonly principal: string;
  readonly role: string;
  readonly osUser?: string;
  readonly status?: string;
  readonly reason?: string;
}

/** What {@link ModelHistory.record} did with one change. */
export type RecordOutcome = 'recorded' | 'duplicate';

/**
 * The model history in the `model-history` table (DynamoDB; dynalite locally), written only by conditional puts so
 * nothing recorded is ever overwritten:
 *
 * - `versions` / `<versionId>`: the version exists (first change seen);
 * - `version#<id>` / `status#<at>#<eventId>`: each status change, so the timeline is every event received;
 * - `version#<id>` / `definition`: what it was trained with (hyperparameters, data lineage, code, who started it),
 *   from its first event; `version#<id>` / `result`: how it ended (status, metrics, artefact), once terminal. A later
 *   event that disagrees with either fails with `MODEL_VERSION_IMMUTABLE`; the same again is a no-op;
 * - `scoring` / `current`: the scoring pointer, moved by promote and rollback with optimistic concurrency, and
 *   `scoring` / `change#<revision>`: each move;
 * - `audit#<day>` / `<at>#<uuid>`: every record, promote and rollback, allowed or refused.
 */
export class ModelHistory {
  readonly #store: KeyValueStore;
  readonly #now: () => Date;

  constructor(store: KeyValueStore, now: () => Date = () => new Date()) {
    this.#store = store;
    this.#now = now;
  }

  /** Records one state change; redelivered events change nothing. */
  async record(change: TrainingJobChange, recorder: ModelCaller): Promise<RecordOutcome> {
    const pk = `version#${change.versionId}`;
    await this.#putOnce({ pk: 'versions', sk: change.versionId, versionId: change.versionId, createdAt: change.createdAt ?? change.at });
    const statusWritten = await this.#putOnce({ pk, sk: `status#${change.at}#${change.eventId}`, status: change.status, at: change.at, ...(change.secondaryStatus === undefined ? {} : { secondaryStatus: change.secondaryStatus }) });
    const definition = {
      trainingJobArn: change.trainingJobArn,
      hyperparameters: change.hyperparameters,
      data: change.data,
      ...pick(change, ['startedBy', 'role', 'codeVersion', 'targetTag', 'trainingImage']),
    };
    await this.#putImmutable({ pk, sk: 'definition', ...definition }, change.versionId);
    if (TERMINAL_STATUSES.includes(change.status)) {
      const result = { status: change.status, metrics: change.metrics, endedAt: change.at, transitions: change.transitions, ...pick(change, ['modelArtifact', 'failureCode']) };
      await this.#putImmutable({ pk, sk: 'result', ...result }, change.versionId, ['endedAt', 'transitions']);
    }
    await this.#audit({ operation: 'record', outcome: 'allowed', versionId: change.versionId, status: change.status, ...recorder });
    return statusWritten ? 'recorded' : 'duplicate';
  }

  /** Every version, oldest first. */
  async list(): Promise<ModelVersion[]> {
    const entries = await queryPartition(this.#store, TABLE, 'versions');
    const versions = await Promise.all(entries.map((entry) => this.get(String(entry['versionId']))));
    return versions.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.versionId.localeCompare(b.versionId));
  }

  /** One version. @throws NotFoundError (`NOT_FOUND`) naming it */
  async get(versionId: string): Promise<ModelVersion> {
    const items = await queryPartition(this.#store, TABLE, `version#${versionId}`);
    const entry = await this.#store.get(TABLE, { pk: 'versions', sk: versionId });
    const definition = items.find((item) => item.sk === 'definition');
    if (!entry || !definition) throw new NotFoundError(`no model version ${versionId}; list them with: cur model history`, { details: { versionId } });
    const result = items.find((item) => item.sk === 'result');
    const timeline = items
      .filter((item) => item.sk.startsWith('status#'))
      .map((item) => ({ status: item['status'] as TrainingJobStatus, at: String(item['at']), ...(item['secondaryStatus'] === undefined ? {} : { secondaryStatus: String(item['secondaryStatus']) }) }));
    const latest = timeline.at(-1)?.status ?? 'InProgress';
    return {
      versionId,
      trainingJobArn: String(definition['trainingJobArn']),
      status: (result?.['status'] as TrainingJobStatus | undefined) ?? latest,
      createdAt: String(entry['createdAt']),
      timeline,
      hyperparameters: (definition['hyperparameters'] ?? {}) as Record<string, string>,
      metrics: (result?.['metrics'] ?? {}) as Record<string, number>,
      data: (definition['data'] ?? []) as TrainingDataRef[],
      transitions: (result?.['transitions'] ?? []) as ModelVersion['transitions'],
      ...strings(definition, ['startedBy', 'role', 'codeVersion', 'targetTag', 'trainingImage']),
      ...strings(result ?? { pk: '', sk: '' }, ['modelArtifact', 'failureCode']),
    };
  }

  /** Versions as `caller` may read them: whole for DS and SYSTEM, metrics only for DA. @throws AccessDeniedError */
  async listFor(caller: ModelCaller): Promise<(ModelVersion | ModelVersionMetrics)[]> {
    const whole = MODEL_OWNER_ROLES.includes(caller.role);
    if (!whole && !MODEL_METRIC_READER_ROLES.includes(caller.role)) {
      throw new AccessDeniedError(`role ${caller.role} may not read the model history (DS and SYSTEM read it whole, DA reads metrics)`, { details: { role: caller.role } });
    }
    const versions = await this.list();
    return whole ? versions : versions.map(metricsOnly);
  }

  /** The scoring version, if one was promoted. */
  async scoring(): Promise<ScoringPointer | undefined> {
    const item = await this.#store.get(TABLE, { pk: 'scoring', sk: 'current' });
    return item === undefined ? undefined : { versionId: String(item['versionId']), revision: Number(item['revision']), promoted: item['promoted'] as string[], at: String(item['at']) };
  }

  /**
   * Makes a completed version the scoring version (DS or SYSTEM). Audited, refused or not.
   *
   * @throws AccessDeniedError for another role, NotFoundError for an unknown version, CurError
   * `MODEL_VERSION_NOT_COMPLETED` for a version that did not complete, `MODEL_ALREADY_SCORING` if it already is
   */
  async promote(versionId: string, caller: ModelCaller): Promise<ScoringPointer> {
    return this.#move('promote', versionId, caller, async (current) => {
      const version = await this.get(versionId);
      if (version.status !== 'Completed') throw new CurError('MODEL_VERSION_NOT_COMPLETED', `model version ${versionId} is ${version.status}; only a Completed version can score`, { details: { versionId } });
      if (current?.versionId === versionId) throw new CurError('MODEL_ALREADY_SCORING', `model version ${versionId} is already the scoring version`, { details: { versionId } });
      return [...(current?.promoted ?? []), versionId];
    });
  }

  /**
   * Makes the version promoted before the current one the scoring version again (DS or SYSTEM). Audited.
   *
   * @throws CurError `MODEL_NOTHING_TO_ROLL_BACK` when fewer than two versions were ever promoted in this line
   */
  async rollback(caller: ModelCaller): Promise<ScoringPointer> {
    const current = await this.scoring();
    return this.#move('rollback', current?.versionId ?? '-', caller, async (pointer) => {
      if (!pointer || pointer.promoted.length < 2) throw new CurError('MODEL_NOTHING_TO_ROLL_BACK', 'no earlier scoring version to roll back to; promote one with: cur model promote VERSION');
      return pointer.promoted.slice(0, -1);
    });
  }

  /** The history's audit entries of one UTC day, oldest first. @param day - `YYYY-MM-DD` */
  async audit(day: string): Promise<ModelAuditEntry[]> {
    const items = await queryPartition(this.#store, TABLE, `audit#${day}`);
    return items.map(({ pk: _pk, sk: _sk, ...entry }) => entry as unknown as ModelAuditEntry);
  }

  async #move(operation: 'promote' | 'rollback', versionId: string, caller: ModelCaller, next: (current: ScoringPointer | undefined) => Promise<string[]>): Promise<ScoringPointer> {
    try {
      if (!MODEL_OWNER_ROLES.includes(caller.role)) {
        throw new AccessDeniedError(`role ${caller.role} may not ${operation} model versions (DS and SYSTEM may)`, { details: { role: caller.role } });
      }
      const current = await this.scoring();
      const promoted = await next(current);
      const pointer: ScoringPointer = { versionId: promoted.at(-1) ?? '', revision: (current?.revision ?? 0) + 1, promoted, at: this.#now().toISOString() };
      const condition = current === undefined ? ({ kind: 'absent' } as const) : ({ kind: 'equals', attribute: 'revision', value: current.revision } as const);
      await this.#store.put(TABLE, { pk: 'scoring', sk: 'current', ...pointer }, condition).catch((error: unknown) => {
        if (isCurError(error, 'CONDITION_FAILED')) throw new CurError('MODEL_SCORING_CONFLICT', 'the scoring version changed meanwhile; run the command again', { cause: error });
        throw error;
      });
      await this.#store.put(TABLE, { pk: 'scoring', sk: `change#${String(pointer.revision).padStart(8, '0')}`, operation, versionId: pointer.versionId, principal: caller.principal, role: caller.role, at: pointer.at }, { kind: 'absent' });
      await this.#audit({ operation, outcome: 'allowed', versionId: pointer.versionId, ...caller });
      return pointer;
    } catch (error) {
      if (error instanceof CurError) await this.#audit({ operation, outcome: 'refused', versionId, reason: error.code, ...caller });
      throw error;
    }
  }

  async #audit(entry: Omit<ModelAuditEntry, 'at'>): Promise<void> {
    const at = this.#now().toISOString();
    const { principal, role, osUser, operation, outcome, versionId, status, reason } = entry;
    const clean = { at, operation, outcome, versionId, principal, role, ...(osUser === undefined ? {} : { osUser }), ...(status === undefined ? {} : { status }), ...(reason === undefined ? {} : { reason }) };
    await this.#store.put(TABLE, { pk: `audit#${at.slice(0, 10)}`, sk: `${at}#${randomUUID()}`, ...clean }, { kind: 'absent' });
  }

  /** Writes an item once; false when it already exists. */
  async #putOnce(item: Item): Promise<boolean> {
    try {
      await this.#store.put(TABLE, item, { kind: 'absent' });
      return true;
    } catch (error) {
      if (isCurError(error, 'CONDITION_FAILED')) return false;
      throw error;
    }
  }

  /** Writes an item once; an existing one must say the same (but for `ignore`d attributes), else it stays and this fails. */
  async #putImmutable(item: Item, versionId: string, ignore: readonly string[] = []): Promise<void> {
    if (await this.#putOnce(item)) return;
    const stored = await this.#store.get(TABLE, { pk: item.pk, sk: item.sk });
    if (stored !== undefined && canonical(stored, ignore) !== canonical(item, ignore)) {
      throw new CurError('MODEL_VERSION_IMMUTABLE', `model version ${versionId} is already recorded with another ${item.sk}; a version never changes`, { details: { versionId, item: item.sk } });
    }
  }
}

function metricsOnly(version: ModelVersion): ModelVersionMetrics {
  return { versionId: version.versionId, status: version.status, createdAt: version.createdAt, timeline: version.timeline, metrics: version.metrics, ...(version.targetTag === undefined ? {} : { targetTag: version.targetTag }) };
}

function pick<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}

function strings(item: Item, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) if (typeof item[key] === 'string') out[key] = item[key];
  return out;
}

/** A stable text of an item's attributes (keys sorted at every depth), less `ignore`. */
function canonical(item: Readonly<Record<string, unknown>>, ignore: readonly string[]): string {
  const sort = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sort);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sort(v)]));
    return value;
  };
  return JSON.stringify(sort(Object.fromEntries(Object.entries(item).filter(([key]) => !ignore.includes(key)))));
}
