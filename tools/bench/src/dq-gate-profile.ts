/**
 * `npx tsx tools/bench/src/dq-gate-profile.ts [--rows 3000000] [--repeats 3]`: where a DQ gate's time goes. Evaluates
 * the shipped transformed card_transaction ruleset (the largest table of the 1M-customer x 10 card activity run) over
 * a synthetic Parquet file of that many rows, rule by rule, and prints each rule's median time over the repeats beside
 * the whole ruleset's. Values are shaped as the transformed zone holds them (tokens that look like IDs, 16-digit
 * cards, typed amounts), so every predicate does its real work; they are synthetic, written to the temp folder and
 * removed at the end. Not part of `npm run bench`: docs/benchmarks.md ("Closer to the floor") says what it found.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbSqlEngine } from '@cur/adapters-local';
import { evaluateRuleset, loadRuleset, type DqdlRuleset } from '@cur/dq';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]?.replace(/^--/, '') ?? '', process.argv[i + 1] ?? '');
const rows = Number(args.get('rows') ?? 3_000_000);
const repeats = Number(args.get('repeats') ?? 3);
const customers = Math.max(1, Math.round(rows / 10));

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const load = (): string => loadavg()[0]?.toFixed(1) ?? '?';

const work = await mkdtemp(join(tmpdir(), 'cur-dq-profile-'));
const engine = await DuckDbSqlEngine.open({ threads: 2, memoryLimit: '4GiB', tempDirectory: join(work, 'spill') });
try {
  const cards = join(work, 'card_transaction.parquet');
  const profiles = join(work, 'customer_profile.parquet');
  const custId = (n: string): string => `chr(65 + (${n} % 26)::INTEGER) || (1 + ${n} % 2)::VARCHAR || lpad((${n} % 100000000)::VARCHAR, 8, '0')`;
  await engine.execute(
    `COPY (SELECT lpad(i::VARCHAR, 12, '0') AS txn_id, lpad((4000000000000000 + i % 2000000)::VARCHAR, 16, '0') AS card_no,
       ${custId(`(i % ${customers})`)} AS cust_id, TIMESTAMP '2026-11-25 00:00:00' - INTERVAL (i % 86400) SECOND AS txn_time,
       lpad((5000 + i % 900)::VARCHAR, 4, '0') AS merchant_category, CASE WHEN i % 50 = 0 THEN NULL ELSE 'merchant ' || (i % 5000)::VARCHAR END AS merchant_name,
       CAST(1 + (i % 100000) / 100.0 AS DECIMAL(14,2)) AS amount, ['TWD', 'USD', 'JPY', 'EUR', 'CNY'][1 + i % 5] AS currency,
       ['POS', 'ONLINE', 'CONTACTLESS', 'OVERSEAS'][1 + i % 4] AS channel, DATE '2026-11-25' AS business_date
     FROM range(${rows}) AS t(i)) TO '${cards}' (FORMAT PARQUET, COMPRESSION ZSTD)`,
  );
  await engine.execute(`COPY (SELECT ${custId('i')} AS cust_id FROM range(${customers}) AS t(i)) TO '${profiles}' (FORMAT PARQUET, COMPRESSION ZSTD)`);
  await engine.registerParquetView('dq_target', [cards]);
  await engine.registerParquetView('dq_ref_customer_profile', [profiles]);
  const options = { engine, view: 'dq_target', references: { customer_profile: 'dq_ref_customer_profile' } };
  const { ruleset } = await loadRuleset('card_transaction', 'transformed');

  console.log(`card_transaction.transformed gate, ${rows} rows, ${ruleset.rules.length} rules, load average ${load()}`);
  const perRule = new Map<string, number[]>();
  const whole: number[] = [];
  for (let repeat = 0; repeat < repeats; repeat += 1) {
    let started = performance.now();
    for (const rule of ruleset.rules) {
      const single: DqdlRuleset = { ...ruleset, rules: [rule] };
      const ruleStarted = performance.now();
      await evaluateRuleset(single, options);
      perRule.set(rule.text, [...(perRule.get(rule.text) ?? []), (performance.now() - ruleStarted) / 1000]);
    }
    const byRule = (performance.now() - started) / 1000;
    started = performance.now();
    await evaluateRuleset(ruleset, options);
    whole.push((performance.now() - started) / 1000);
    console.log(`repeat ${repeat + 1}: rule by rule ${byRule.toFixed(2)} s, whole ruleset ${(whole.at(-1) ?? 0).toFixed(2)} s (load ${load()})`);
  }
  const total = [...perRule.values()].reduce((sum, times) => sum + median(times), 0);
  for (const [text, times] of perRule) console.log(`| ${text.replaceAll('|', '\\|')} | ${median(times).toFixed(2)} | ${((100 * median(times)) / total).toFixed(0)}% |`);
  console.log(`whole ruleset, median: ${median(whole).toFixed(2)} s`);
} finally {
  await engine.close();
  await rm(work, { recursive: true, force: true });
}
