import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { GeneratedDataKey, KeyContext, KeyVault } from '@cur/platform';
import { AccessDeniedError, ConfigError } from '@cur/platform';

const MASTER_KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Wrapped key layout: format byte, nonce, ciphertext, tag. The format byte lets the layout change later. */
const FORMAT_V1 = 1;

/**
 * A {@link KeyVault} whose master key is a local file (32 random bytes, mode 0600, created on first use). Data keys
 * are wrapped with AES-256-GCM, the key context as associated data. The laptop stand-in for KMS.
 */
export class KeyFileVault implements KeyVault {
  readonly description: string;
  readonly #path: string;
  #masterKey: Promise<Buffer> | undefined;

  /** @param path - the master key file, e.g. `.cur/keys/master.key` */
  constructor(path: string) {
    this.#path = path;
    this.description = `file:${path}`;
  }

  async generateDataKey(context: KeyContext, bytes: number): Promise<GeneratedDataKey> {
    const plaintext = randomBytes(bytes);
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', await this.#master(), nonce).setAAD(associatedData(context));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { plaintext, wrapped: Buffer.concat([Buffer.of(FORMAT_V1), nonce, body, cipher.getAuthTag()]) };
  }

  async unwrap(wrapped: Uint8Array, context: KeyContext): Promise<Uint8Array> {
    const bytes = Buffer.from(wrapped);
    if (bytes.length < 1 + NONCE_BYTES + TAG_BYTES || bytes[0] !== FORMAT_V1) {
      throw new AccessDeniedError(`wrapped key for '${context.keyGroup}' v${context.version} is not in a format this vault wrote`);
    }
    const nonce = bytes.subarray(1, 1 + NONCE_BYTES);
    const tag = bytes.subarray(bytes.length - TAG_BYTES);
    const body = bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', await this.#master(), nonce).setAAD(associatedData(context)).setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]);
    } catch (error) {
      throw new AccessDeniedError(`wrapped key for '${context.keyGroup}' v${context.version} does not unwrap with this master key`, { cause: error });
    }
  }

  #master(): Promise<Buffer> {
    this.#masterKey ??= this.#loadOrCreate().catch((error: unknown) => {
      this.#masterKey = undefined;
      throw error;
    });
    return this.#masterKey;
  }

  async #loadOrCreate(): Promise<Buffer> {
    try {
      const info = await stat(this.#path);
      if ((info.mode & 0o077) !== 0) {
        throw new ConfigError(`master key file ${this.#path} is readable by others; run: chmod 600 ${this.#path}`);
      }
      const key = await readFile(this.#path);
      if (key.length !== MASTER_KEY_BYTES) throw new ConfigError(`master key file ${this.#path} must hold ${MASTER_KEY_BYTES} bytes`);
      return key;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    await mkdir(dirname(this.#path), { recursive: true, mode: 0o700 });
    const key = randomBytes(MASTER_KEY_BYTES);
    try {
      // 'wx' fails if another process created the file meanwhile; then use theirs.
      await writeFile(this.#path, key, { mode: 0o600, flag: 'wx' });
      await chmod(this.#path, 0o600);
      return key;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFile(this.#path);
      throw error;
    }
  }
}

function associatedData(context: KeyContext): Buffer {
  return Buffer.from(JSON.stringify({ keyGroup: context.keyGroup, version: context.version }), 'utf8');
}
