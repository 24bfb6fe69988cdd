/**
 * Whether the consumption and mart plans fit a memory limit at a larger scale than a lake holds:
 * `npx tsx tools/bench/src/consumption-memory-profile.ts --lake DIR --date YYYY-MM-DD [--replicate 10] [--memory 1GiB]`.
 *
 * Copies the transformed partitions of one business date from a `cur run` lake (`<state>/lake`) `--replicate` times
 * into a scratch lake, each copy's `cust_id` tokens made distinct (a digit inserted after the first character), so a
 * 1M-customer lake becomes a 10M-customer one in about a minute instead of an hour of generating and masking. Then
 * runs customer_features, customer_tags and the two mart plans on one DuckDB at `--memory`, spilling into the scratch
 * folder, as the consumption and mart steps do, and prints one JSON line per plan: ok, rows, seconds, and the error
 * code and message on a failure (plan context and engine error kind only, never a value). Exits 1 when a plan fails,
 * so a script can look for the smallest limit that passes.
 *
 * The scratch lake holds tokens only (transformed data); it is deleted at the end, whatever happens.
 */
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDbSqlEngine } from '@cur/adapters-local';
import { DUCKDB_DIALECT, executePlan, FEATURE_SOURCES, MART_DATASETS, renderCustomerFeaturesPlan, renderCustomerTagsPlan, renderMartPlan, storedAsTextOf, TAG_DEFINITIONS, type StepPlanInput } from '@cur/pipeline';
import { isCurError } from '@cur/platform';
import { createMaskingPolicy } from '@cur/policy';

const USAGE = 'usage: npx tsx tools/bench/src/consumption-memory-profile.ts --lake DIR --date YYYY-MM-DD [--replicate N] [--memory LIMIT]';

function parse(): { lake: string; date: string; replicate: number; memory: string } {
  const { values } = parseArgs({ options: { lake: { type: 'string' }, date: { type: 'string' }, replicate: { type: 'string', default: '1' }, memory: { type: 'string', default: '4GiB' } } });
  if (!values.lake) throw new Error('--lake DIR is required: the lake folder of a cur run (<state>/lake)');
  if (!values.date || !/^\d{4}-\d{2}-\d{2}$/.test(values.date)) throw new Error('--date YYYY-MM-DD is required: the business date whose transformed partitions are read');
  const replicate = Number(values.replicate);
  if (!Number.isSafeInteger(replicate) || replicate < 1 || replicate > 10) throw new Error(`--replicate ${values.replicate}: expected a whole number from 1 to 10`);
  return { lake: values.lake, date: values.date, replicate, memory: values.memory ?? '4GiB' };
}

let options: ReturnType<typeof parse>;
try {
  options = parse();
} catch (error) {
  process.stderr.write(`consumption-memory-profile: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
  process.exit(2);
}

const work = await mkdtemp(join(tmpdir(), 'cur-consumption-memory-'));
let failed = false;
try {
  const engine = await DuckDbSqlEngine.open({ threads: 2, memoryLimit: options.memory, tempDirectory: join(work, 'spill') });
  try {
    const sources = await replicateSources(engine, options.lake, options.date, options.replicate, join(work, 'transformed'));
    const run = async (name: string, plan: StepPlanInput): Promise<string[] | undefined> => {
      const started = performance.now();
      try {
        const result = await executePlan(engine, plan);
        const output = result.outputs[0];
        process.stdout.write(`${JSON.stringify({ plan: name, memory: options.memory, ok: true, rows: output?.rows, seconds: (performance.now() - started) / 1000 })}\n`);
        return output?.files;
      } catch (error) {
        failed = true;
        const code = isCurError(error) ? error.code : 'ERROR';
        process.stdout.write(`${JSON.stringify({ plan: name, memory: options.memory, ok: false, seconds: (performance.now() - started) / 1000, code, message: error instanceof Error ? error.message : String(error) })}\n`);
        return undefined;
      }
    };
    const date = options.date;
    const features = await run('customer_features', renderCustomerFeaturesPlan({ businessDate: date, sources, storedAsText: storedAsTextOf(createMaskingPolicy()), outputPath: join(work, 'customer_features'), dialect: DUCKDB_DIALECT }));
    if (features) {
      const tags = await run('customer_tags', renderCustomerTagsPlan({ businessDate: date, tags: TAG_DEFINITIONS, features, outputPath: join(work, 'customer_tags') }));
      for (const dataset of MART_DATASETS) {
        if (dataset === 'tag_metrics_monthly' && !tags) continue;
        await run(dataset, renderMartPlan({ dataset, businessDate: date, features, tags: tags ?? [], modelTags: [], previous: [], outputPath: join(work, dataset), dialect: DUCKDB_DIALECT }));
      }
    }
  } finally {
    await engine.close();
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;

/** Each feature source's files in the scratch lake: the date's partition, `replicate` times over with distinct customers. */
async function replicateSources(engine: DuckDbSqlEngine, lake: string, date: string, replicate: number, into: string): Promise<Record<(typeof FEATURE_SOURCES)[number], string[]>> {
  const sources = {} as Record<(typeof FEATURE_SOURCES)[number], string[]>;
  for (const dataset of FEATURE_SOURCES) {
    const partition = join(lake, 'transformed', dataset, `business_date=${date}`);
    const files = (await readdir(partition).catch(() => [])).filter((name) => name.endsWith('.parquet')).map((name) => join(partition, name));
    if (files.length === 0) throw new Error(`no transformed ${dataset} files in ${partition}: is --lake a cur run's lake, with --date one of its business dates?`);
    if (replicate === 1) {
      sources[dataset] = files;
      continue;
    }
    const target = join(into, dataset);
    await mkdir(target, { recursive: true, mode: 0o700 });
    const file = join(target, 'part-0.parquet');
    const list = files.map((path) => `'${path.replaceAll("'", "''")}'`).join(', ');
    await engine.execute(
      `COPY (SELECT * REPLACE (substr(cust_id, 1, 1) || CAST(copy.i AS VARCHAR) || substr(cust_id, 2) AS cust_id) FROM range(${replicate}) AS copy(i), read_parquet([${list}])) TO '${file}' (FORMAT parquet, COMPRESSION zstd)`,
    );
    sources[dataset] = [file];
  }
  return sources;
}
