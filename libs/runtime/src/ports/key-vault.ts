import { join } from 'node:path';
import { ConfigError } from '@cur/platform';
import type { KeyVault, PlatformConfig } from '@cur/platform';
import { makeOwnerOnly } from './local-home';
import { captured, type PortFactoryOptions } from './port-factory-options';

/** The master key vault, made on first use, and how to let go of its client. */
export interface KeyVaultPort {
  /**
   * The vault that wraps masking data keys: `<home>/keys/master.key` locally, KMS in AWS.
   *
   * @throws ConfigError when CUR_MASKING_KEY_ID is missing in AWS mode (only services that mask need it)
   */
  keyVault(): KeyVault;
  close(): Promise<void>;
}

/**
 * The `KeyVault` port wired alone (subpath `@cur/runtime/key-vault`). Only the KMS client is loaded.
 */
export async function createKeyVault(config: PlatformConfig, options: PortFactoryOptions = {}): Promise<KeyVaultPort> {
  if (config.mode === 'local') {
    await makeOwnerOnly(config.home);
    const { KeyFileVault } = await import('@cur/adapters-local/key-vault');
    const vault = new KeyFileVault(join(config.home, 'keys', 'master.key'));
    return { keyVault: () => vault, close: () => Promise.resolve() };
  }
  const [{ KmsKeyVault }, { KMSClient }] = await Promise.all([import('@cur/adapters-aws/key-vault'), import('@aws-sdk/client-kms')]);
  const kms = captured(options, new KMSClient({ region: config.region }));
  return {
    keyVault: () => {
      if (config.maskingKeyId === undefined) throw new ConfigError('CUR_MASKING_KEY_ID is required to mask or unmask in AWS mode');
      return new KmsKeyVault(kms, config.maskingKeyId);
    },
    close: () => {
      kms.destroy();
      return Promise.resolve();
    },
  };
}
