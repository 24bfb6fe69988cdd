import { loadPlatformConfig } from '@cur/platform';
import { TokenService } from '@cur/masking';
import { createRuntime } from '@cur/runtime';

/**
 * The composition root: configuration from the environment, the runtime's adapters, and the token service on top.
 * Built once per Lambda container, on the first invocation.
 */
export async function createTokenService(env: NodeJS.ProcessEnv = process.env): Promise<TokenService> {
  const runtime = await createRuntime(loadPlatformConfig(env));
  return TokenService.create({ keyValueStore: runtime.keyValueStore, keyVault: runtime.keyVault() });
}
