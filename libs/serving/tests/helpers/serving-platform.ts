import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbSqlEngine } from '@cur/adapters-local';
import type { BlobStore } from '@cur/platform';
import { loadPlatformConfig } from '@cur/platform';
import { createRuntime, type Runtime } from '@cur/runtime';
import type { ServingLoadDependencies } from '../../src/index';

/** A local platform (temp lake folder, dynalite) with DuckDB, ready to publish fixtures and load the serving store. */
export interface ServingPlatform {
  readonly runtime: Runtime;
  readonly engine: DuckDbSqlEngine;
  readonly system: BlobStore;
  readonly locate: (bucket: 'consumption' | 'mart', key: string) => string;
  readonly loadDeps: ServingLoadDependencies;
  close(): Promise<void>;
}

export async function servingPlatform(): Promise<ServingPlatform> {
  const runtime = await createRuntime(loadPlatformConfig({ CUR_HOME: await mkdtemp(join(tmpdir(), 'cur-serving-')) }));
  const engine = await DuckDbSqlEngine.open({ threads: 1 });
  const lake = runtime.localLakeDir ?? '';
  const locate = (bucket: 'consumption' | 'mart', key: string) => join(lake, bucket, ...key.split('/'));
  return {
    runtime,
    engine,
    system: runtime.blobStore('system'),
    locate,
    loadDeps: { store: runtime.keyValueStore, system: runtime.blobStore('system'), engine, locate },
    close: async () => {
      await engine.close();
      await runtime.close();
    },
  };
}
