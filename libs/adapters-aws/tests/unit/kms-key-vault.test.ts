import type { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { KmsKeyVault } from '../../src/index';

/**
 * KMS has no local server we can run here, so a recording client stands in for the KMS service. The local key-file
 * vault carries the behavioural tests; this checks the requests the adapter builds and how it maps KMS errors.
 */
function recordingKms(answer: (command: GenerateDataKeyCommand | DecryptCommand) => unknown): { client: KMSClient; sent: (GenerateDataKeyCommand | DecryptCommand)[] } {
  const sent: (GenerateDataKeyCommand | DecryptCommand)[] = [];
  const client = { send: async (command: GenerateDataKeyCommand | DecryptCommand) => (sent.push(command), answer(command)) } as unknown as KMSClient;
  return { client, sent };
}

describe('KmsKeyVault', () => {
  it('binds every data key to its key group and version through the encryption context', async () => {
    const { client, sent } = recordingKms(() => ({ Plaintext: new Uint8Array(32), CiphertextBlob: new Uint8Array([1, 2, 3]) }));
    const vault = new KmsKeyVault(client, 'alias/cur-dev-masking');
    await vault.generateDataKey({ keyGroup: 'national_id', version: 3 }, 32);
    await vault.unwrap(new Uint8Array([1, 2, 3]), { keyGroup: 'national_id', version: 3 });
    expect(sent[0]?.input).toEqual({ KeyId: 'alias/cur-dev-masking', NumberOfBytes: 32, EncryptionContext: { keyGroup: 'national_id', version: '3' } });
    expect(sent[1]?.input).toMatchObject({ KeyId: 'alias/cur-dev-masking', EncryptionContext: { keyGroup: 'national_id', version: '3' } });
    expect(vault.description).toBe('kms:alias/cur-dev-masking');
  });

  it('maps a refused unwrap to ACCESS_DENIED and other failures to ADAPTER_FAILURE', async () => {
    const refuse = recordingKms(() => Promise.reject(Object.assign(new Error('bad'), { name: 'InvalidCiphertextException' })));
    await expect(new KmsKeyVault(refuse.client, 'k').unwrap(new Uint8Array(3), { keyGroup: 'g', version: 1 })).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    const down = recordingKms(() => Promise.reject(Object.assign(new Error('down'), { name: 'KMSInternalException' })));
    await expect(new KmsKeyVault(down.client, 'k').generateDataKey({ keyGroup: 'g', version: 1 }, 32)).rejects.toMatchObject({ code: 'ADAPTER_FAILURE' });
  });
});
