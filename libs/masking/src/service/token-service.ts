import type { Role } from '@cur/contracts';
import { isRole } from '@cur/contracts';
import { AccessDeniedError, ConfigError, ValidationError } from '@cur/platform';
import type { KeyValueStore, KeyVault } from '@cur/platform';
import type { MaskingPolicy } from '@cur/policy';
import { createMaskingPolicy } from '@cur/policy';
import type { KeyGroupInfo } from '../keys/key-groups';
import { RETOKENIZE_FLAG, keyGroupInfo } from '../keys/key-groups';
import type { KeyVersionInfo } from '../keys/key-ring';
import { KeyRing } from '../keys/key-ring';
import { MaskingError } from '../masking-error';
import { createColumnMasker } from '../methods/create-column-masker';
import type { PluginRegistry } from '../plugins/plugin-registry';
import { AuditLog } from './audit-log';
import { LookupRateLimit, type LookupRateLimitOptions } from './lookup-rate-limit';

/** Who is asking, as the authorizer (or the local dev token) established it. */
export interface Caller {
  /** The authenticated principal, e.g. the JWT `sub`. */
  readonly principal: string;
  /** The role claim; anything that is not a role is treated as no role at all. */
  readonly role: string;
  /**
   * The operating-system user of a local `cur` process. On a laptop `--role` and a dev token's `sub` are claims
   * anyone can make, so the audit records who really ran the command beside them.
   */
  readonly osUser?: string;
}

function osUserOf(caller: Caller): { osUser?: string } {
  return caller.osUser === undefined ? {} : { osUser: caller.osUser };
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

/** The column whose key makes customer tokens: lookups by national ID tokenize as this column does. */
export const CUSTOMER_ID_COLUMN = { dataset: 'customer_profile', column: 'cust_id' } as const;

/** Options of {@link TokenService.rotate}. */
export interface RotateOptions {
  /**
   * The caller is the re-tokenise job (`cur keys rotate GROUP --retokenize`), which rewrites every published
   * partition holding the group's tokens to the new version right after: required for a join-key group, SYSTEM only.
   * @default false
   */
  readonly retokenize?: boolean;
}

/** Roles that may rotate keys: the platform itself and the data managers who own key hygiene. */
const ROTATING_ROLES: ReadonlySet<Role> = new Set(['SYSTEM', 'DM']);

/**
 * The operations of the masking-key-service: tokenize and detokenize for SYSTEM only, one customer lookup by national
 * ID at a time for applications, rotation, and a description of the keys. Every tokenization, lookup,
 * detokenization and rotation, allowed or refused, is written to the audit log with who, what and how many, never
 * the values.
 */
export class TokenService {
  readonly #keyRing: KeyRing;
  readonly #policy: MaskingPolicy;
  readonly #audit: AuditLog;
  readonly #plugins: PluginRegistry | undefined;
  readonly #lookupLimit: LookupRateLimit | undefined;

  /**
   * The token service over a runtime's stores: keys in `masking-keys`, audit in `audit-log`.
   *
   * @example
   * const service = TokenService.create({ keyValueStore: runtime.keyValueStore, keyVault: runtime.keyVault() });
   */
  static create(ports: { keyValueStore: KeyValueStore; keyVault: KeyVault; policy?: MaskingPolicy; plugins?: PluginRegistry; lookupRate?: LookupRateLimitOptions }): TokenService {
    return new TokenService({
      keyRing: new KeyRing(ports.keyValueStore, ports.keyVault),
      policy: ports.policy ?? createMaskingPolicy(),
      audit: new AuditLog(ports.keyValueStore),
      lookupLimit: new LookupRateLimit(ports.keyValueStore, ports.lookupRate),
      ...(ports.plugins ? { plugins: ports.plugins } : {}),
    });
  }

  /** @param dependencies.lookupLimit - without one, {@link lookupCustomerToken} is refused (`create` always gives one) */
  constructor(dependencies: { keyRing: KeyRing; policy: MaskingPolicy; audit: AuditLog; lookupLimit?: LookupRateLimit; plugins?: PluginRegistry }) {
    this.#keyRing = dependencies.keyRing;
    this.#policy = dependencies.policy;
    this.#audit = dependencies.audit;
    this.#lookupLimit = dependencies.lookupLimit;
    this.#plugins = dependencies.plugins;
  }

  /**
   * The tokens the pipeline writes for these plaintext values of a column, under the active key version or the one
   * `batch.keyVersion` names. SYSTEM only, every call audited: deterministic tokens plus a way to tokenise chosen
   * values is a way to reverse them (try every mobile number, every national ID), so no person may hold one.
   * Applications find a customer by national ID through {@link lookupCustomerToken} instead.
   *
   * @throws AccessDeniedError for any other role, after recording the refusal
   * @throws MaskingError KEY_NOT_FOUND for a key version the column's key group never had
   */
  async tokenize(caller: Caller, batch: ColumnBatch): Promise<{ tokens: (string | null)[]; keyVersion: number | undefined }> {
    this.#checkSize(batch);
    const role = isRole(caller.role) ? caller.role : 'UNKNOWN';
    const facts = { principal: caller.principal, ...osUserOf(caller), role, operation: 'tokenize', dataset: batch.dataset, column: batch.column, count: batch.values.length } as const;
    if (role !== 'SYSTEM') {
      await this.#audit.record({ ...facts, outcome: 'refused', reason: 'only SYSTEM may tokenize chosen values' });
      throw new AccessDeniedError(
        `role ${role} may not tokenize values: tokens of chosen values would let anyone reverse tokens by trying every value, so only SYSTEM may, and this refusal is audited. Applications look a customer up by national ID through the retrieval API (POST /v1/customers/lookup)`,
      );
    }
    const masker = this.#masker(batch);
    await this.#audit.record({ ...facts, keyGroup: this.#policy.keyGroupFor(batch.dataset, batch.column), outcome: 'allowed' });
    return masker.mask(batch.values, batch.keyVersion === undefined ? {} : { keyVersion: batch.keyVersion });
  }

  /**
   * The customer token of one national ID, for an application that has the ID from its own user: AP and SYSTEM only,
   * one ID per call, every call audited (who, never the ID), and at most a rate per principal
   * ({@link LookupRateLimit}), so the route cannot be used to tokenise the whole ID space.
   *
   * @param keyVersion - the key version of the served tokens; the active one when absent
   * @throws AccessDeniedError for any other role, after recording the refusal
   * @throws MaskingError RATE_LIMITED when the principal used up its lookups for the window (details: retryAfterSeconds)
   */
  async lookupCustomerToken(caller: Caller, nationalId: string, keyVersion?: number): Promise<{ token: string | null; keyVersion: number | undefined }> {
    const role = isRole(caller.role) ? caller.role : 'UNKNOWN';
    const facts = { principal: caller.principal, ...osUserOf(caller), role, operation: 'lookup', ...CUSTOMER_ID_COLUMN, count: 1 } as const;
    if (role !== 'AP' && role !== 'SYSTEM') {
      await this.#audit.record({ ...facts, outcome: 'refused', reason: 'only AP or SYSTEM may look customers up by national ID' });
      throw new AccessDeniedError(`role ${role} may not look customers up by national ID: only applications (AP) may, and this refusal is audited`);
    }
    if (this.#lookupLimit === undefined) throw new ConfigError('this token service was built without a lookup rate limit, so it answers no lookups');
    const decision = await this.#lookupLimit.take(caller.principal);
    if (!decision.allowed) {
      await this.#audit.record({ ...facts, outcome: 'refused', reason: 'rate limit' });
      throw new MaskingError('RATE_LIMITED', `principal ${caller.principal} made too many lookups; retry in ${decision.retryAfterSeconds} s`, {
        details: { retryAfterSeconds: decision.retryAfterSeconds },
      });
    }
    await this.#audit.record({ ...facts, keyGroup: this.#policy.keyGroupFor(CUSTOMER_ID_COLUMN.dataset, CUSTOMER_ID_COLUMN.column), outcome: 'allowed' });
    const masked = await this.#masker({ ...CUSTOMER_ID_COLUMN, values: [nationalId] }).mask([nationalId], keyVersion === undefined ? {} : { keyVersion });
    return { token: masked.tokens[0] ?? null, keyVersion: masked.keyVersion };
  }

  /**
   * Plaintext for tokens of a column, for SYSTEM only.
   *
   * @throws AccessDeniedError for any other role, after recording the refusal
   */
  async detokenize(caller: Caller, batch: ColumnBatch): Promise<(string | null)[]> {
    this.#checkSize(batch);
    const role = isRole(caller.role) ? caller.role : 'UNKNOWN';
    const facts = { principal: caller.principal, ...osUserOf(caller), role, operation: 'detokenize', dataset: batch.dataset, column: batch.column, count: batch.values.length } as const;
    if (role !== 'SYSTEM') {
      await this.#audit.record({ ...facts, outcome: 'refused', reason: 'only SYSTEM may detokenize' });
      throw new AccessDeniedError(`role ${role} may not detokenize: only SYSTEM may, and this refusal is audited`);
    }
    const masker = this.#masker(batch);
    await this.#audit.record({ ...facts, keyGroup: this.#policy.keyGroupFor(batch.dataset, batch.column), outcome: 'allowed' });
    return masker.unmask(batch.values, batch.keyVersion);
  }

  /**
   * Starts a new key version for a key group; SYSTEM and DM only. New tokens use it, old tokens still resolve.
   *
   * A join-key group (see `describeKeyGroups`: national_id, account_number) is refused unless `options.retokenize`
   * says the caller is the re-tokenise job, which rewrites every published partition to the new version right after:
   * tokens are deterministic per version, so a bare rotation would give new partitions other tokens than the
   * published ones and joins across business dates would silently stop matching.
   *
   * @throws MaskingError KEY_GROUP_UNKNOWN for a name the policy does not define
   * @throws MaskingError ROTATION_BREAKS_JOINS for a bare rotation of a join-key group, naming the flag that re-tokenises
   * @throws AccessDeniedError for a role other than SYSTEM or DM, or a re-tokenising rotation by any role but SYSTEM
   */
  async rotate(caller: Caller, keyGroup: string, options: RotateOptions = {}): Promise<number> {
    const role = isRole(caller.role) ? caller.role : 'UNKNOWN';
    const facts = { principal: caller.principal, ...osUserOf(caller), role, operation: 'rotate', count: 1 } as const;
    if (role === 'UNKNOWN' || !ROTATING_ROLES.has(role)) {
      await this.#audit.record({ ...facts, outcome: 'refused', reason: 'only SYSTEM or DM may rotate keys' });
      throw new AccessDeniedError(`role ${role} may not rotate keys: only SYSTEM or DM may`);
    }
    let group: KeyGroupInfo;
    try {
      group = keyGroupInfo(keyGroup, this.#policy);
    } catch (error) {
      // The unknown name is not recorded: it is whatever the caller sent.
      await this.#audit.record({ ...facts, outcome: 'refused', reason: 'unknown key group' });
      throw error;
    }
    const known = { ...facts, keyGroup: group.name };
    if (group.joinKey && !options.retokenize) {
      await this.#audit.record({ ...known, outcome: 'refused', reason: `join-key group: rotation needs ${RETOKENIZE_FLAG}` });
      const columns = group.columns.map((column) => `${column.dataset}.${column.column}`).join(', ');
      throw new MaskingError(
        'ROTATION_BREAKS_JOINS',
        `key group ${group.name} holds join keys (${columns}): a bare rotation would give partitions masked from now on other tokens than the published ones, and joins across business dates would silently stop matching. ` +
          `Rotate it with the re-tokenise job instead, as SYSTEM: cur --role SYSTEM keys rotate ${group.name} ${RETOKENIZE_FLAG} (rewrites every published raw partition to the new version, then rebuilds the downstream zones of those dates)`,
        { details: { keyGroup: group.name } },
      );
    }
    if (options.retokenize && role !== 'SYSTEM') {
      await this.#audit.record({ ...known, outcome: 'refused', reason: 'only SYSTEM may re-tokenise' });
      throw new AccessDeniedError(`role ${role} may not re-tokenise: the job reads plaintext, so only SYSTEM may run it`);
    }
    const version = await this.#keyRing.rotate(group.name);
    await this.#audit.record({ ...known, outcome: 'allowed' });
    return version;
  }

  /**
   * The re-tokenise job's step, for SYSTEM only: tokens of a column under their key version in, the tokens of the same
   * values under `toVersion` out, position by position. The plaintext exists only inside this call; every call is
   * audited (who, which column and key group, how many, the two versions), allowed or refused. Not limited to
   * {@link MAX_BATCH_VALUES}: the job hands over a partition's distinct tokens at once and no route exposes it.
   *
   * @param batch - the tokens; `keyVersion` is the version they were made with (the partition's manifest records it)
   * @throws AccessDeniedError for any role but SYSTEM, after recording the refusal
   * @throws MaskingError NOT_REVERSIBLE for a column whose method cannot be reversed (HMAC): its values are gone
   */
  async retokenize(caller: Caller, batch: ColumnBatch & { readonly keyVersion: number }, toVersion: number): Promise<(string | null)[]> {
    const role = isRole(caller.role) ? caller.role : 'UNKNOWN';
    const facts = { principal: caller.principal, ...osUserOf(caller), role, operation: 'retokenize', dataset: batch.dataset, column: batch.column, count: batch.values.length } as const;
    if (role !== 'SYSTEM') {
      await this.#audit.record({ ...facts, outcome: 'refused', reason: 'only SYSTEM may re-tokenise' });
      throw new AccessDeniedError(`role ${role} may not re-tokenise: only SYSTEM may, and this refusal is audited`);
    }
    const masker = this.#masker(batch);
    const keyGroup = this.#policy.keyGroupFor(batch.dataset, batch.column);
    if (!masker.reversible) throw new MaskingError('NOT_REVERSIBLE', `${batch.dataset}.${batch.column} uses ${masker.method}: its tokens cannot be re-tokenised`);
    await this.#audit.record({ ...facts, keyGroup, outcome: 'allowed', reason: `version ${batch.keyVersion} to ${toVersion}` });
    if (batch.values.length === 0) return [];
    const values = await masker.unmask(batch.values, batch.keyVersion);
    return (await masker.mask(values, { keyVersion: toVersion })).tokens;
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
