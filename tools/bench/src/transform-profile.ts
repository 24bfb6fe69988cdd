/**
 * Where one dataset's transform step spends its time, statement by statement:
 * `npx tsx tools/bench/src/transform-profile.ts --extracts DIR [--dataset card_transaction] [--memory 4GiB] [--runs 1]
 * [--whole]`.
 *
 * Ingests and masks that dataset's batch alone (as cpu-account does), then runs the transform step `--runs` times
 * on the same raw partition, each engine call's wall and CPU time (this process's: JavaScript and DuckDB's threads)
 * added to the statement it runs, and the SYSTEM scratch area's peak size sampled while it runs (DuckDB's spill).
 * A batch the mask step wrote in parts is transformed in parts; with `--whole`, every other run (the even ones) takes
 * it whole, as one plan: the raw manifest is published with its files in reverse order, which the step transforms
 * whole (the first row of a key may then not be in an earlier part), for an A/B of the two on the same files.
 * Prints a Markdown table. Counts and times only, never a value. The state folder is deleted at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDbSqlEngine, parseEngineMemoryLimit } from '@cur/adapters-local';
import { KeyRing } from '@cur/masking';
import { DuckDbPlanExecutor, ManifestStore, runMaskStep, runTransformStep, maskStagingFor } from '@cur/pipeline';
import { createMaskingPolicy } from '@cur/policy';
import { OpenedResources } from './opened-resources';
import { accountedEngine, cpuSeconds, type Spent } from './engine-accounting';
import { ingestExtracts } from './ingested-state';
import { bytesUnder } from './bytes-under';
import { sampleEvery } from './sample-every';

const USAGE = 'usage: npx tsx tools/bench/src/transform-profile.ts --extracts DIR [--dataset NAME] [--memory LIMIT] [--runs N] [--whole]';

/** What one engine call does, named for the table: the statement's table or view, the output written, or a count. */
function statementOf(call: string, sql: string): string {
  const created = /^CREATE OR REPLACE (TABLE|VIEW) (\w+)/.exec(sql);
  if (created) return `${created[1]?.toLowerCase()} ${created[2]}`;
  if (call === 'writeParquet') {
    if (/reason_code/.test(sql)) return 'write the rejects';
    if (/HAVING count\(\*\) > 1$/.test(sql)) return 'write the key candidates (in parts)';
    if (/^SELECT \* FROM candidates_/.test(sql)) return 'write the candidate rows (in parts)';
    return 'write the accepted rows';
  }
  if (call === 'registerParquetView') return 'register the raw files';
  if (/^DROP /.test(sql)) return 'drop tables and views';
  return `${call} (counts)`;
}

let options: { extracts: string; dataset: string; memory: string; runs: number; whole: boolean };
try {
  const { values } = parseArgs({ options: { extracts: { type: 'string' }, dataset: { type: 'string', default: 'card_transaction' }, memory: { type: 'string', default: '4GiB' }, runs: { type: 'string', default: '1' }, whole: { type: 'boolean', default: false } } });
  if (!values.extracts) throw new Error('--extracts DIR is required: a folder of generated extracts (npm run bench:pipeline keeps them)');
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number of at least 1, not ${values.runs}`);
  options = { extracts: values.extracts, dataset: values.dataset ?? 'card_transaction', memory: values.memory ?? '4GiB', runs, whole: values.whole ?? false };
  parseEngineMemoryLimit(options.memory);
} catch (error) {
  process.stderr.write(`transform-profile: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
  process.exit(2);
}

const home = await mkdtemp(join(tmpdir(), 'cur-transform-profile-'));
const opened = new OpenedResources();
try {
  const state = await ingestExtracts(home, options.extracts, (name) => name.startsWith(`${options.dataset}_`));
  opened.add(state.runtime);
  const [batch, ...others] = state.batches;
  if (batch === undefined) throw new Error(`no ${options.dataset} batch was ingested from ${options.extracts}`);
  if (others.length > 0) throw new Error(`${options.extracts} holds ${state.batches.length} ${options.dataset} batches; give a folder of one business date`);
  const { runtime, lake } = state;
  const locate = (bucket: string, key: string): string => join(lake, bucket, ...key.split('/'));
  const engine = opened.add(await DuckDbSqlEngine.open({ threads: 2, memoryLimit: options.memory, tempDirectory: state.spill }));
  const manifests = new ManifestStore(runtime.blobStore('system'));
  const policy = createMaskingPolicy();
  const maskDeps = {
    landing: state.landing,
    raw: runtime.blobStore('raw'),
    manifests,
    ledger: state.ledger,
    engine,
    policy,
    maskers: { keyRing: new KeyRing(runtime.keyValueStore, runtime.keyVault()) },
    runId: 'transform-profile',
    scratchDir: state.scratchDir,
    landingPath: (key: string) => locate('landing', key),
    ...maskStagingFor(parseEngineMemoryLimit(options.memory)),
  };
  const masked = await runMaskStep(maskDeps, batch);
  const out = [
    `${options.dataset}: ${batch.rowCount} rows in ${masked.files.length} raw file(s). DuckDB at ${options.memory}, 2 threads.`,
    '',
    '| run | statement | calls | wall (s) | CPU (s) |',
    '| --- | --- | ---: | ---: | ---: |',
  ];
  for (let run = 1; run <= options.runs; run++) {
    const whole = options.whole && run % 2 === 0;
    await manifests.publish({ ...masked, files: whole ? [...masked.files].reverse() : masked.files });
    const spent = new Map<string, Spent>();
    const accounted = accountedEngine(engine, statementOf, spent);
    let peak = 0;
    const sampler = sampleEvery(250, async () => void (peak = Math.max(peak, await bytesUnder(state.systemScratch))));
    const [wall, cpu] = [performance.now(), cpuSeconds()];
    try {
      await runTransformStep(
        { raw: runtime.blobStore('raw'), transformed: runtime.blobStore('transformed'), manifests, plans: new DuckDbPlanExecutor(accounted), engine: accounted, policy, locate, runId: `transform-profile-${run}`, scratchDir: state.scratchDir },
        options.dataset,
        batch.businessDate,
      );
    } finally {
      await sampler.stop();
    }
    for (const [name, line] of spent) out.push(`| ${run} | ${name} | ${line.calls} | ${line.wall.toFixed(2)} | ${line.cpu.toFixed(2)} |`);
    out.push(`| ${run} | **the step, ${whole || masked.files.length === 1 ? 'whole' : 'in parts'}** (scratch peak ${(peak / 1e6).toFixed(0)} MB) | | ${((performance.now() - wall) / 1000).toFixed(2)} | ${(cpuSeconds() - cpu).toFixed(2)} |`);
  }
  await opened.closeAll();
  out.push('', `Load average at the end: ${loadavg().map((n) => n.toFixed(1)).join(', ')}.`);
  process.stdout.write(`${out.join('\n')}\n`);
} catch (error) {
  process.stderr.write(`transform-profile: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await opened.closeAll();
  await rm(home, { recursive: true, force: true });
}
