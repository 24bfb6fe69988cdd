/** One line of a benchmark table: our rate against a reference on the same inputs. */
export interface BenchRow {
  /** What runs, for example `FF1 encrypt`. */
  readonly primitive: string;
  /** What it runs on, for example `10-digit numbers`. */
  readonly input: string;
  /** Batch size. */
  readonly values: number;
  /** Our throughput in values per second. */
  readonly ours: number;
  /** What we compare with, for example `@noble/ciphers FF1`. */
  readonly reference: string;
  /** The reference's throughput in values per second (on `referenceValues` of the same inputs). */
  readonly referenceRate: number;
  /** How many of the inputs the reference ran on (all of them unless capped). */
  readonly referenceValues: number;
}

/** How {@link measureRate} times a run. */
export interface MeasureOptions {
  /**
   * Timed runs; the best counts (the least disturbed by other processes and GC).
   *
   * @default 1
   */
  readonly repeats?: number;
  /**
   * Untimed runs first, so the JIT has compiled the hot loops.
   *
   * @default 0
   */
  readonly warmups?: number;
}

/**
 * Times `run` over `count` values and returns values per second. No collection is forced between runs: a forced full
 * GC shrinks the young generation and made the following runs measurably slower than a steady pipeline.
 *
 * @param count - values processed by one run
 * @param run - the work; its result is kept alive until timing ends so nothing is optimised away
 * @param options - see {@link MeasureOptions}
 */
export function measureRate(count: number, run: () => unknown, options: MeasureOptions = {}): number {
  const repeats = options.repeats ?? 1;
  let sink: unknown;
  for (let i = 0; i < (options.warmups ?? 0); i++) sink = run();
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < repeats; i++) {
    const start = process.hrtime.bigint();
    sink = run();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    best = Math.min(best, seconds);
  }
  if (sink === Symbol.for('never')) throw new Error('unreachable');
  return count / best;
}

/** Formats a rate as `1.23 M/s` or `456.7 k/s`. */
export function formatRate(rate: number): string {
  return rate >= 1e6 ? `${(rate / 1e6).toFixed(2)} M/s` : `${(rate / 1e3).toFixed(1)} k/s`;
}

/**
 * Renders rows as a GitHub markdown table with the ratio ours / reference.
 *
 * @example
 * console.log(formatMarkdownTable([{ primitive: 'FF1 encrypt', input: '10 digits', values: 1e5, ours: 2e6, reference: 'noble', referenceRate: 4e4, referenceValues: 1e5 }]));
 */
export function formatMarkdownTable(rows: readonly BenchRow[]): string {
  const lines = [
    '| primitive | input | values | ours | reference | reference rate | ours / reference |',
    '|---|---|---:|---:|---|---:|---:|',
  ];
  for (const row of rows) {
    const capped = row.referenceValues < row.values ? ` (first ${row.referenceValues.toLocaleString('en-US')})` : '';
    lines.push(
      `| ${row.primitive} | ${row.input} | ${row.values.toLocaleString('en-US')} | ${formatRate(row.ours)} | ${row.reference} | ${formatRate(row.referenceRate)}${capped} | ${(row.ours / row.referenceRate).toFixed(1)}x |`,
    );
  }
  return lines.join('\n');
}
