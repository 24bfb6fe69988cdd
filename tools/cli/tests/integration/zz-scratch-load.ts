import { loadPlatformConfig } from '@cur/platform';
import { createRuntime } from '@cur/runtime';
import { loadServingFromLake } from '../../src/commands/serve-command';
import { main } from '../../src/main';

const home = process.argv[2] ?? '/tmp/curbench/home';
const t0 = performance.now();
if (process.argv[3] === 'demo') console.log('demo exit', await main(['node', 'cur', 'demo'], { line: () => undefined, info: () => undefined, error: (t) => console.error(t) }, { CUR_HOME: home }), ((performance.now() - t0) / 1000).toFixed(1), 's');
const runtime = await createRuntime(loadPlatformConfig({ CUR_HOME: home, POWERTOOLS_LOG_LEVEL: 'SILENT' }));
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  const r = await loadServingFromLake(runtime);
  console.log('load', r.customers, r.tagAssignments, r.itemsWritten, 'pruned', r.pruned.length, ((performance.now() - t) / 1000).toFixed(1), 's', r.durationMs);
}
await runtime.close();
