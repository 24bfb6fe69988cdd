import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { GeneratedDataKey, KeyContext, KeyVault } from '@cur/platform';
import { AccessDeniedError, AdapterError } from '@cur/platform';

/**
 * A {@link KeyVault} on AWS KMS: GenerateDataKey and Decrypt under one customer-managed key, with the key context as
 * the encryption context so CloudTrail shows which key group each unwrap served.
 */
export class KmsKeyVault implements KeyVault {
  readonly description: string;
  readonly #client: KMSClient;
  readonly #keyId: string;

  /** @param keyId - key id, ARN or alias of the masking master key */
  constructor(client: KMSClient, keyId: string) {
    this.#client = client;
    this.#keyId = keyId;
    this.description = `kms:${keyId}`;
  }

  async generateDataKey(context: KeyContext, bytes: number): Promise<GeneratedDataKey> {
    try {
      const result = await this.#client.send(
        new GenerateDataKeyCommand({ KeyId: this.#keyId, NumberOfBytes: bytes, EncryptionContext: encryptionContext(context) }),
      );
      if (!result.Plaintext || !result.CiphertextBlob) throw new Error('KMS returned no key');
      return { plaintext: result.Plaintext, wrapped: result.CiphertextBlob };
    } catch (error) {
      throw new AdapterError(`KMS could not generate a data key for '${context.keyGroup}' v${context.version}`, { cause: error });
    }
  }

  async unwrap(wrapped: Uint8Array, context: KeyContext): Promise<Uint8Array> {
    try {
      const result = await this.#client.send(
        new DecryptCommand({ KeyId: this.#keyId, CiphertextBlob: wrapped, EncryptionContext: encryptionContext(context) }),
      );
      if (!result.Plaintext) throw new Error('KMS returned no plaintext');
      return result.Plaintext;
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (name === 'InvalidCiphertextException' || name === 'AccessDeniedException' || name === 'IncorrectKeyException') {
        throw new AccessDeniedError(`KMS refused to unwrap the key for '${context.keyGroup}' v${context.version} (${name})`, { cause: error });
      }
      throw new AdapterError(`KMS could not unwrap the key for '${context.keyGroup}' v${context.version}`, { cause: error });
    }
  }
}

function encryptionContext(context: KeyContext): Record<string, string> {
  return { keyGroup: context.keyGroup, version: String(context.version) };
}
