import type { Role } from '@cur/contracts';
import { isRole } from '@cur/contracts';
import { AccessDeniedError, ValidationError } from '@cur/platform';
import type { KeyValueStore, KeyVault } from '@cur/platform';
import type { MaskingPolicy } from '@cur/policy';
import { createMaskingPolicy } from '@cur/policy';
import type { KeyVersionInfo } from '../keys/key-ring';
import { KeyRing } from '../keys/key-ring';
import { createColumnMasker } from '../methods/create-column-masker';
import type { PluginRegistry } from '../plugins/plugin-registry';
import { AuditLog } from './audit-log';

/** Who is asking, as the authorizer (or the local dev token) established it. */
export interface Caller {
  /** The authenticated principal, e.g. the JWT `sub`. */
  readonly principal: string;
  /** The role claim; anything that is not a role is treated as no role at all. */
  readonly role: string;
}

/** A column's values or tokens. */
export interface ColumnBatch {
  readonly dataset: string;
  readonly column: string;
  readonly values: readonly (string | null)[];
  /**
   * The column's key version: for detokenizing formats that carry none (FF1, plug-ins), and for tokenizing under a
   * version other than the active one.
   */
  readonly keyVersion?: number;
}

/** Most values one call may carry. */
export const MAX_BATCH_VALUES = 10_000;

/** Roles that may rotate keys: the platform itself and the data managers who own key hygiene. */
const ROTATING_ROLES: ReadonlySet<Role> = new Set(['SYSTEM', 'DM']);

/**
 * The operations of the masking-key-service: tokenize for anyone, detokenize for SYSTEM only, rotation, and a
 * description of the keys. Every detokenization and rotation, allowed or refused, is written to the audit log with
 * who, what and how many, never the values.
 */
export class TokenService {
  readonly #keyRing: KeyRing;
  readonly #policy: MaskingPolicy;
  readonly #audit: AuditLog;
  readonly #plugins: PluginRegistry | undefined;

  /**
   * The token service over a runtime's stores: keys in `masking-keys`, audit in `audit-log`.
   *
   * @example
   * const service = TokenService.create({ keyValueStore: runtime.keyValueStore, keyVault: runtime.keyVault() });
   */
  static create(ports: { keyValueStore: KeyValueStore; keyVault: KeyVault; policy?: MaskingPolicy; plugins?: PluginRegistry }): TokenService {
    return new TokenService({
      keyRing: new KeyRing(ports.keyValueStore, ports.keyVault),
      policy: ports.policy ?? createMaskingPolicy(),
      audit: new AuditLog(ports.keyValueStore),
      ...(ports.plugins ? { plugins: ports.plugins } : {}),
    });
  }

  constructor(dependencies: { keyRing: KeyRing; policy: MaskingPolicy; audit: AuditLog; plugins?: PluginRegistry }) {
    this.#keyRing = dependencies.keyRing;
    this.#policy = dependencies.policy;
    this.#audit = dependencies.audit;
    this.#plugins = dependencies.plugins;
  }

  /**
   * The tokens the pipeline writes for these plaintext values of a column, under the active key version or the one
   * `batch.keyVersion` names (to look values up in partitions masked before a rotation). Any role: a caller only
   * learns the token of what it already holds.
   *
   * @throws MaskingError KEY_NOT_FOUND for a key version the column's key group never had
   */
  async tokenize(caller: Caller, batch: ColumnBatch): Promise<{ tokens: (string | null)[]; keyVersion: number | undefined }> {
    this.#checkSize(batch);
    this.#roleOf(caller);
    return this.#masker(batch).mask(batch.values, batch.keyVersion === undefined ? {} : { keyVersion: batch.keyVersion });
  }

  /**
   * Plaintext for tokens of a column, for SYSTEM only.
   *
   * @throws AccessDeniedError for any other role, after recording the refusal
   */
  async detokenize(caller: Caller, batch: ColumnBatch): Promise<(string | null)[]> {
    this.#checkSize(batch);
    const role = isRole(caller.role) ? caller.role : 'UNKNOWN';
    const facts = { principal: caller.principal, role, operation: 'detokenize', dataset: batch.dataset, column: batch.column, count: batch.values.length } as const;
    if (role !== 'SYSTEM') {
      await this.#audit.record({ ...facts, outcome: 'refused', reason: 'only SYSTEM may detokenize' });
      throw new AccessDeniedError(`role ${role} may not detokenize: only SYSTEM may, and this refusal is audited`);
    }
    const masker = this.#masker(batch);
    await this.#audit.record({ ...facts, keyGroup: this.#policy.keyGroupFor(batch.dataset, batch.column), outcome: 'allowed' });
    return masker.unmask(batch.values, batch.keyVersion);
  }

  /** Starts a new key version for a key group; SYSTEM and DM only. */
  async rotate(caller: Caller, keyGroup: string): Promise<number> {
    const role = isRole(caller.role) ? caller.role : 'UNKNOWN';
    const facts = { principal: caller.principal, role, operation: 'rotate', keyGroup, count: 1 } as const;
    if (role === 'UNKNOWN' || !ROTATING_ROLES.has(role)) {
      await this.#audit.record({ ...facts, outcome: 'refused', reason: 'only SYSTEM or DM may rotate keys' });
      throw new AccessDeniedError(`role ${role} may not rotate keys: only SYSTEM or DM may`);
    }
    const version = await this.#keyRing.rotate(keyGroup);
    await this.#audit.record({ ...facts, outcome: 'allowed' });
    return version;
  }

  /** Every key group and version, without key material. Any role. */
  describe(caller: Caller): Promise<KeyVersionInfo[]> {
    this.#roleOf(caller);
    return this.#keyRing.list();
  }

  #masker(batch: ColumnBatch) {
    const treatment = this.#policy.storageTreatmentFor(batch.dataset, batch.column);
    const keyGroup = this.#policy.keyGroupFor(batch.dataset, batch.column);
    return createColumnMasker(treatment, keyGroup, { keyRing: this.#keyRing, ...(this.#plugins ? { plugins: this.#plugins } : {}) });
  }

  #roleOf(caller: Caller): Role {
    if (!isRole(caller.role)) throw new AccessDeniedError('the caller has no known role');
    return caller.role;
  }

  #checkSize(batch: ColumnBatch): void {
    if (batch.values.length === 0 || batch.values.length > MAX_BATCH_VALUES) {
      throw new ValidationError(`a batch carries 1 to ${MAX_BATCH_VALUES} values; this one has ${batch.values.length}`);
    }
  }
}
