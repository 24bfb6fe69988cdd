import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { StepProgress } from '@cur/pipeline';
import type { Output } from './console-output';

/** Shows the pipeline's step progress: bars on a terminal, one plain line per event otherwise. */
export interface ProgressReporter {
  /** Takes one event of `runPipeline`'s `onProgress`. */
  onProgress(event: StepProgress): void;
  /** A line of progress text (a finished step) that must not break the bars. */
  info(text: string): void;
  /** Ends the bars (they stay on screen as last drawn) and writes any line held back. */
  stop(): void;
}

/** Options of {@link createProgressReporter}. */
export interface ProgressReporterOptions {
  /** Where plain lines go (stderr in the CLI). */
  readonly output: Output;
  /** Draw bars with cli-progress. @default `stream.isTTY` */
  readonly tty?: boolean;
  /** The terminal the bars are drawn on. @default process.stderr */
  readonly stream?: NodeJS.WriteStream;
  /** The clock, in ms. @default Date.now */
  readonly now?: () => number;
}

interface Tracked {
  readonly startedAt: number;
  bar?: SingleBar;
}

/** `12,345` */
const count = (n: number): string => Math.round(n).toLocaleString('en');

/** `about 1 min 5 s left` from a remaining time in seconds. */
function estimate(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'estimating';
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `about ${Math.floor(s / 60)} min ${s % 60} s left` : `about ${s} s left`;
}

/**
 * What one event says, as text: step, target, rows done (of how many), rows/s and the estimate. Only the event's
 * names and counts, so nothing of the data can be in it.
 */
export function describeProgress(event: StepProgress, elapsedMs: number): string {
  const seconds = Math.max(elapsedMs, 1) / 1000;
  const rate = event.rowsDone / seconds;
  const of = event.rowsTotal === undefined ? '' : ` of ${count(event.rowsTotal)}`;
  const head = `progress ${event.step} ${event.target}:`;
  if (event.phase === 'started') return `${head} started${event.rowsTotal === undefined ? '' : `, ${count(event.rowsTotal)} rows`}`;
  if (event.phase === 'finished') return `${head} ${event.status ?? 'finished'}, ${count(event.rowsDone)}${of} rows in ${seconds.toFixed(1)} s, ${count(rate)} rows/s`;
  const left = event.rowsTotal === undefined || rate === 0 ? '' : `, ${estimate((event.rowsTotal - event.rowsDone) / rate)}`;
  return `${head} ${count(event.rowsDone)}${of} rows, ${count(rate)} rows/s${left}`;
}

/**
 * The CLI's progress for `cur run` and `cur demo`. On a terminal one cli-progress bar per step under way (step,
 * target, rows done of the total, rows/s, estimate), redrawn at most 10 times a second, with finished steps' lines
 * printed above the bars; elsewhere (a pipe, a file, CI) one plain line per event through `output.info`.
 */
export function createProgressReporter(options: ProgressReporterOptions): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const tty = options.tty ?? stream.isTTY === true;
  const now = options.now ?? Date.now;
  const tracked = new Map<string, Tracked>();
  const keyOf = (event: StepProgress): string => `${event.step} ${event.target}`;

  if (!tty) {
    return {
      onProgress: (event) => {
        const key = keyOf(event);
        if (event.phase === 'started') tracked.set(key, { startedAt: now() });
        const startedAt = tracked.get(key)?.startedAt ?? now();
        if (event.phase === 'finished') tracked.delete(key);
        options.output.info(describeProgress(event, now() - startedAt));
      },
      info: (text) => options.output.info(text),
      stop: () => tracked.clear(),
    };
  }

  const bars = new MultiBar(
    {
      stream,
      format: '{label} |{bar}| {rows} rows | {rate} rows/s | {estimate}',
      // cli-progress cuts a line at the terminal's width: a short bar leaves room for the counts.
      barsize: 16,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      autopadding: true,
      // Ctrl-C is the CLI's: it stops the run at a safe point, the bars end with it.
      gracefulExit: false,
    },
    Presets.shades_classic,
  );
  const payload = (event: StepProgress, startedAt: number): Record<string, string> => {
    const seconds = Math.max(now() - startedAt, 1) / 1000;
    const rate = event.rowsDone / seconds;
    const done = event.phase === 'finished';
    return {
      label: `${event.step} ${event.target}`,
      rows: `${count(event.rowsDone)}${event.rowsTotal === undefined ? '' : ` of ${count(event.rowsTotal)}`}`,
      rate: count(rate),
      estimate: done ? (event.status ?? 'finished') : event.rowsTotal === undefined || rate === 0 ? 'estimating' : estimate((event.rowsTotal - event.rowsDone) / rate),
    };
  };
  return {
    onProgress: (event) => {
      const key = keyOf(event);
      let entry = tracked.get(key);
      if (!entry) {
        entry = { startedAt: now() };
        tracked.set(key, entry);
      }
      // Unknown totals draw an empty bar until the step ends, then a full one.
      const total = Math.max(event.rowsTotal ?? (event.phase === 'finished' ? event.rowsDone : 0), 1);
      const value = event.phase === 'finished' && event.status === 'succeeded' ? total : Math.min(event.rowsDone, total);
      if (!entry.bar) entry.bar = bars.create(total, value, payload(event, entry.startedAt));
      else {
        entry.bar.setTotal(total);
        entry.bar.update(value, payload(event, entry.startedAt));
      }
      if (event.phase === 'finished') tracked.delete(key);
    },
    info: (text) => bars.log(`${text}\n`),
    stop: () => {
      // MultiBar.stop() draws the bars a last time but drops lines still held by log(); its redraw (update(), public
      // in cli-progress 3.12's code, missing from its types) writes them first.
      (bars as unknown as { update(): void }).update();
      bars.stop();
      tracked.clear();
    },
  };
}
