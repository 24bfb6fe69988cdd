import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlatformConfig } from '@cur/platform';
import { createRuntime, type Runtime } from '@cur/runtime';
import { KeyRing } from '../../src/index';

/** A local runtime (dynalite, key file) in a fresh state folder, and a key ring on it. */
export async function maskingRuntime(home?: string): Promise<{ runtime: Runtime; keyRing: KeyRing; home: string }> {
  const stateHome = home ?? (await mkdtemp(join(tmpdir(), 'cur-masking-')));
  const runtime = await createRuntime(loadPlatformConfig({ CUR_HOME: stateHome }));
  return { runtime, keyRing: new KeyRing(runtime.keyValueStore, runtime.keyVault()), home: stateHome };
}
