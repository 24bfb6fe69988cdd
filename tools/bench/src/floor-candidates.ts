/**
 * `npx tsx tools/bench/src/floor-candidates.ts --lake DIR [--date 2026-11-25] [--pairs 3] [--only A|B]`: the two
 * candidates of issue 18 point 4 that docs/benchmarks.md ("Closer to the floor") left untried, each A/B tested in
 * alternating pairs (ABAB, so both sides see the same load) over the partitions of a local lake that `cur run` filled
 * (`--lake` is `$CUR_HOME/lake`; e.g. 300,000 customers generated with `--card-activity 10`):
 *
 * - A, the transform's sort: the shipped DuckDB plan (duplicates marked by a join, the accepted rows written
 *   `ORDER BY source_row`) against the same statements with `checked` materialised in raw order (DuckDB's `in_clause`
 *   optimizer off: it turns an IN list of five or more values into a join), the duplicates deleted from it and the
 *   accepted rows written without a sort (one table filtered keeps DuckDB's insertion order). Checks the two accepted
 *   files hold the same rows in the same order, and whether their bytes are equal.
 * - B, uniqueness checks of keys a step guarantees: each raw and transformed gate of the source datasets evaluated with
 *   every rule measured against the same ruleset with the keys the mask step (`source_row`) and the transform step
 *   (the primary key) guarantee given as `uniqueByConstruction` (completeness still measured, no grouping of keys), one
 *   gate at a time and all gates in a row.
 *
 * Prints each run and the medians. Reads masked data only (raw and transformed zones); writes its outputs to the
 * temp folder and removes them. Not part of `npm run bench`: docs/benchmarks.md says what it found.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbSqlEngine } from '@cur/adapters-local';
import { getDataset } from '@cur/contracts';
import { evaluateRuleset, hasRuleset, loadRuleset } from '@cur/dq';
import { buildTransformSql, DUCKDB_DIALECT, executePlan, renderTransformPlan } from '@cur/pipeline';
import { createMaskingPolicy } from '@cur/policy';
import type { SqlEngine } from '@cur/platform';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]?.replace(/^--/, '') ?? '', process.argv[i + 1] ?? '');
const lake = args.get('lake');
if (!lake) throw new Error('--lake DIR (the lake folder of a state folder cur run filled) is required');
const businessDate = args.get('date') ?? '2026-11-25';
const pairs = Number(args.get('pairs') ?? 3);
const only = args.get('only');

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const load = (): string => loadavg()[0]?.toFixed(1) ?? '?';
const seconds = async (work: () => Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
};
const partition = async (zone: string, dataset: string): Promise<string[]> => {
  const folder = join(lake, zone, dataset, `business_date=${businessDate}`);
  return (await readdir(folder)).filter((name) => name.endsWith('.parquet')).map((name) => join(folder, name));
};
const sha = async (file: string): Promise<string> => createHash('sha256').update(await readFile(file)).digest('hex');

/** Runs `a` and `b` alternately, `pairs` times, a first in even pairs and b first in odd ones. */
async function alternate(label: string, a: { name: string; run: () => Promise<unknown> }, b: { name: string; run: () => Promise<unknown> }): Promise<void> {
  const times: Record<string, number[]> = { [a.name]: [], [b.name]: [] };
  for (let pair = 0; pair < pairs; pair += 1) {
    for (const side of pair % 2 === 0 ? [a, b] : [b, a]) {
      const s = await seconds(side.run);
      times[side.name]?.push(s);
      console.log(`${label} pair ${pair + 1}: ${side.name} ${s.toFixed(2)} s (load ${load()})`);
    }
  }
  const [ma, mb] = [median(times[a.name] ?? []), median(times[b.name] ?? [])];
  console.log(`${label}: ${a.name} ${(times[a.name] ?? []).map((t) => t.toFixed(2)).join(', ')} s; ${b.name} ${(times[b.name] ?? []).map((t) => t.toFixed(2)).join(', ')} s`);
  console.log(`${label}: medians ${a.name} ${ma.toFixed(2)} s, ${b.name} ${mb.toFixed(2)} s (${(mb / ma).toFixed(2)}x)`);
}

const work = await mkdtemp(join(tmpdir(), 'cur-floor-candidates-'));
const engine = await DuckDbSqlEngine.open({ threads: 2, memoryLimit: '4GiB', tempDirectory: join(work, 'spill') });
try {
  const dataset = getDataset('card_transaction');
  const policy = createMaskingPolicy();
  const raw = await partition('raw', 'card_transaction');
  if (only !== 'B') {
    const sorted = { accepted: join(work, 'sorted', 'accepted'), rejects: join(work, 'sorted', 'rejects') };
    const sortedPlan = renderTransformPlan({ dataset, businessDate, raw, policy, dialect: DUCKDB_DIALECT, acceptedPath: sorted.accepted, rejectsPath: sorted.rejects });
    const unsortedFile = join(work, 'unsorted-accepted.parquet');
    await alternate('A transform card_transaction', { name: 'sorted (shipped)', run: () => executePlan(engine, sortedPlan) }, { name: 'delete + unsorted', run: () => unsortedTransform(engine, raw, unsortedFile) });
    const sortedFile = join(sorted.accepted, 'part-00000.zstd.parquet');
    const [same] = await engine.query(
      `SELECT (SELECT count(*) FROM read_parquet('${sortedFile}')) AS n, (SELECT count(*) FROM (SELECT *, row_number() OVER () AS position FROM read_parquet('${sortedFile}') EXCEPT ALL SELECT *, row_number() OVER () AS position FROM read_parquet('${unsortedFile}'))) AS differing`,
    );
    console.log(`A: ${String(same?.['n'])} accepted rows, ${String(same?.['differing'])} differ in value or position; bytes ${(await sha(sortedFile)) === (await sha(unsortedFile)) ? 'equal' : 'differ'}`);
  }
  if (only !== 'A') {
    // Every raw and transformed gate of the source datasets, as runPipeline evaluates them: measured in full, or with
    // the keys the mask and transform steps guarantee (uniqueKeysGuaranteedBy): completeness measured, no grouping.
    await engine.registerParquetView('dq_ref_customer_profile', await partition('transformed', 'customer_profile'));
    const gates: { label: string; full: () => Promise<unknown>; guaranteed: () => Promise<unknown> }[] = [];
    for (const zone of ['raw', 'transformed'] as const) {
      for (const name of ['customer_profile', 'account_balance', 'card_transaction', 'digital_activity'] as const) {
        if (!hasRuleset(name, zone)) continue;
        const view = `dq_${zone}_${name}`;
        await engine.registerParquetView(view, await partition(zone, name));
        const { ruleset } = await loadRuleset(name, zone);
        const columns = zone === 'raw' ? ['source_row'] : getDataset(name).primaryKey;
        const options = { engine, view, references: { customer_profile: 'dq_ref_customer_profile' } };
        const uniqueByConstruction = [{ columns, evidence: 'floor-candidates' }];
        gates.push({ label: `${name}.${zone}`, full: () => evaluateRuleset(ruleset, options), guaranteed: () => evaluateRuleset(ruleset, { ...options, uniqueByConstruction }) });
      }
    }
    for (const gate of gates) await alternate(`B ${gate.label} gate`, { name: 'every rule measured', run: gate.full }, { name: 'guaranteed keys', run: gate.guaranteed });
    await alternate('B all gates', { name: 'every rule measured', run: async () => { for (const gate of gates) await gate.full(); } }, { name: 'guaranteed keys', run: async () => { for (const gate of gates) await gate.guaranteed(); } });
  }
} finally {
  await engine.close();
  await rm(work, { recursive: true, force: true });
}

/** Candidate A: the shipped plan's statements, duplicates deleted from `checked` instead of marked by a join, no sort. */
async function unsortedTransform(session: SqlEngine, rawFiles: readonly string[], accepted: string): Promise<void> {
  const sql = buildTransformSql(getDataset('card_transaction'), createMaskingPolicy(), DUCKDB_DIALECT);
  const columns = getDataset('card_transaction').columns.map((column) => column.name).join(', ');
  await session.registerParquetView('raw_card_transaction', rawFiles);
  // DuckDB rewrites an IN list of five or more values (currency, channel) into a join, which keeps no row order.
  await session.execute("SET disabled_optimizers = 'in_clause'");
  await session.execute(`CREATE OR REPLACE TABLE checked_ab AS ${sql.checked}`);
  await session.execute('RESET disabled_optimizers');
  await session.query('SELECT count(*) AS n FROM checked_ab');
  await session.execute(`CREATE OR REPLACE TABLE duplicates_ab AS ${sql.duplicates('checked_ab')}`);
  await session.execute('DELETE FROM checked_ab WHERE source_row IN (SELECT source_row FROM duplicates_ab)');
  await rm(accepted, { force: true });
  await session.writeParquet(`SELECT ${columns}, CAST(business_date AS DATE) AS business_date FROM checked_ab WHERE problem IS NULL`, accepted);
  await session.writeParquet(
    `SELECT source_row AS row_number, split_part(problem, '|', 1) AS reason_code FROM (SELECT source_row, problem FROM checked_ab WHERE problem IS NOT NULL UNION ALL SELECT source_row, 'DUPLICATE|' FROM duplicates_ab) ORDER BY source_row`,
    `${accepted}.rejects.parquet`,
  );
  for (const name of ['duplicates_ab', 'checked_ab']) await session.execute(`DROP TABLE IF EXISTS ${name}`);
}
