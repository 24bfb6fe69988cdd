import type { KeyValueStore, KeyVault } from '@cur/platform';
import { isCurError, queryPartition } from '@cur/platform';
import { MaskingError } from '../masking-error';

/** Bytes of every data key; methods derive their own keys from it (see `deriveMethodKey`). */
export const DATA_KEY_BYTES = 32;

/** How long a KeyRing trusts its idea of the active version before re-reading it. @default 60 s */
export const DEFAULT_ACTIVE_VERSION_TTL_MS = 60_000;

const TABLE = 'masking-keys';
const GROUPS_PK = 'groups';
const groupPk = (keyGroup: string): string => `group#${keyGroup}`;
const versionSk = (version: number): string => `version#${String(version).padStart(6, '0')}`;

/** What `cur keys list` shows of one key version. Never key material, wrapped or not. */
export interface KeyVersionInfo {
  readonly keyGroup: string;
  readonly version: number;
  readonly active: boolean;
  readonly createdAt: string;
  readonly vault: string;
}

/** A usable data key. */
export interface DataKey {
  readonly keyGroup: string;
  readonly version: number;
  readonly key: Uint8Array;
}

/** Options of {@link KeyRing}. */
export interface KeyRingOptions {
  /** @default {@link DEFAULT_ACTIVE_VERSION_TTL_MS} */
  readonly activeVersionTtlMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * The versioned data keys of every key group, stored wrapped in the `masking-keys` table and unwrapped by the key
 * vault (KMS or the local key file) on first use. New tokens use the active version; every older version stays
 * resolvable, so rotation never strands a token.
 */
export class KeyRing {
  readonly #store: KeyValueStore;
  readonly #vault: KeyVault;
  readonly #ttl: number;
  readonly #now: () => number;
  readonly #keys = new Map<string, Promise<Uint8Array>>();
  readonly #active = new Map<string, { version: number; readAt: number }>();

  constructor(store: KeyValueStore, vault: KeyVault, options: KeyRingOptions = {}) {
    this.#store = store;
    this.#vault = vault;
    this.#ttl = options.activeVersionTtlMs ?? DEFAULT_ACTIVE_VERSION_TTL_MS;
    this.#now = options.now ?? Date.now;
  }

  /** The active key of a group, creating version 1 on first use. */
  async activeKey(keyGroup: string): Promise<DataKey> {
    const version = await this.activeVersion(keyGroup);
    return { keyGroup, version, key: await this.keyAt(keyGroup, version) };
  }

  /** The active version of a group, creating version 1 on first use. */
  async activeVersion(keyGroup: string): Promise<number> {
    const cached = this.#active.get(keyGroup);
    if (cached && this.#now() - cached.readAt < this.#ttl) return cached.version;
    const pointer = await this.#store.get(TABLE, { pk: groupPk(keyGroup), sk: 'active' });
    const version = typeof pointer?.['version'] === 'number' ? pointer['version'] : await this.#createFirstVersion(keyGroup);
    this.#active.set(keyGroup, { version, readAt: this.#now() });
    return version;
  }

  /**
   * The key of a given version, for tokens written under it.
   *
   * @throws MaskingError KEY_NOT_FOUND when the group has no such version
   */
  keyAt(keyGroup: string, version: number): Promise<Uint8Array> {
    const cacheKey = `${keyGroup}#${version}`;
    let key = this.#keys.get(cacheKey);
    if (!key) {
      key = this.#unwrap(keyGroup, version);
      this.#keys.set(cacheKey, key);
      key.catch(() => this.#keys.delete(cacheKey));
    }
    return key;
  }

  /** Makes a new version the active one; returns it. Older versions stay resolvable. */
  async rotate(keyGroup: string): Promise<number> {
    this.#active.delete(keyGroup);
    const current = await this.activeVersion(keyGroup);
    const next = current + 1;
    await this.#writeVersion(keyGroup, next);
    await this.#store.put(
      TABLE,
      { pk: groupPk(keyGroup), sk: 'active', version: next, rotatedAt: new Date(this.#now()).toISOString() },
      { kind: 'equals', attribute: 'version', value: current },
    );
    this.#active.set(keyGroup, { version: next, readAt: this.#now() });
    return next;
  }

  /** Every key group and version, oldest first. No key material. */
  async list(): Promise<KeyVersionInfo[]> {
    const groups = await queryPartition(this.#store, TABLE, GROUPS_PK);
    const infos: KeyVersionInfo[] = [];
    for (const group of groups) {
      const keyGroup = String(group['keyGroup']);
      const items = await queryPartition(this.#store, TABLE, groupPk(keyGroup));
      const active = items.find((item) => item.sk === 'active')?.['version'];
      for (const item of items.filter((candidate) => candidate.sk.startsWith('version#'))) {
        infos.push({
          keyGroup,
          version: Number(item['version']),
          active: item['version'] === active,
          createdAt: String(item['createdAt']),
          vault: String(item['vault']),
        });
      }
    }
    return infos;
  }

  async #createFirstVersion(keyGroup: string): Promise<number> {
    try {
      await this.#writeVersion(keyGroup, 1);
    } catch (error) {
      // Another process wrote version 1 first: its key is the one everybody uses.
      if (!isCurError(error, 'CONDITION_FAILED')) throw error;
    }
    // Registering the group is idempotent, so a process that died between the writes is completed by the next one.
    await this.#putIfAbsent({ pk: GROUPS_PK, sk: keyGroup, keyGroup });
    await this.#putIfAbsent({ pk: groupPk(keyGroup), sk: 'active', version: 1, rotatedAt: new Date(this.#now()).toISOString() });
    const pointer = await this.#store.get(TABLE, { pk: groupPk(keyGroup), sk: 'active' });
    return typeof pointer?.['version'] === 'number' ? pointer['version'] : 1;
  }

  async #putIfAbsent(item: { pk: string; sk: string } & Record<string, unknown>): Promise<void> {
    try {
      await this.#store.put(TABLE, item, { kind: 'absent' });
    } catch (error) {
      if (!isCurError(error, 'CONDITION_FAILED')) throw error;
    }
  }

  async #writeVersion(keyGroup: string, version: number): Promise<void> {
    const { plaintext, wrapped } = await this.#vault.generateDataKey({ keyGroup, version }, DATA_KEY_BYTES);
    await this.#store.put(
      TABLE,
      {
        pk: groupPk(keyGroup),
        sk: versionSk(version),
        keyGroup,
        version,
        wrappedKey: Buffer.from(wrapped).toString('base64'),
        vault: this.#vault.description,
        createdAt: new Date(this.#now()).toISOString(),
      },
      { kind: 'absent' },
    );
    this.#keys.set(`${keyGroup}#${version}`, Promise.resolve(plaintext));
  }

  async #unwrap(keyGroup: string, version: number): Promise<Uint8Array> {
    const item = await this.#store.get(TABLE, { pk: groupPk(keyGroup), sk: versionSk(version) });
    if (typeof item?.['wrappedKey'] !== 'string') {
      throw new MaskingError('KEY_NOT_FOUND', `key group '${keyGroup}' has no version ${version}`, { details: { keyGroup, version } });
    }
    return this.#vault.unwrap(Buffer.from(item['wrappedKey'], 'base64'), { keyGroup, version });
  }
}
