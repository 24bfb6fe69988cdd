import { describe, expect, it } from 'vitest';
import type { StepProgress } from '@cur/pipeline';
import { createProgressReporter, describeProgress } from '../../src/output/progress-reporter';

const event = (phase: StepProgress['phase'], rowsDone: number, extra: Partial<StepProgress> = {}): StepProgress => ({ step: 'serving', target: '2026-11-25', phase, rowsDone, ...extra });

describe('Function: describeProgress', () => {
  it('gives rows done of the total, rows/s and the time left from the rate so far', () => {
    expect(describeProgress(event('advanced', 50_000, { rowsTotal: 200_000 }), 10_000)).toBe('progress serving 2026-11-25: 50,000 of 200,000 rows, 5,000 rows/s, about 30 s left');
    expect(describeProgress(event('advanced', 1_000, { rowsTotal: 200_000 }), 10_000)).toBe('progress serving 2026-11-25: 1,000 of 200,000 rows, 100 rows/s, about 33 min 10 s left');
  });

  it('says "started" with the known total, and how a step ended with its rows and rate', () => {
    expect(describeProgress(event('started', 0, { step: 'mask', target: 'card_transaction/2026-11-25', rowsTotal: 1_019_887 }), 0)).toBe('progress mask card_transaction/2026-11-25: started, 1,019,887 rows');
    expect(describeProgress(event('started', 0), 0)).toBe('progress serving 2026-11-25: started');
    expect(describeProgress(event('finished', 997_812, { status: 'succeeded' }), 5_100)).toBe('progress serving 2026-11-25: succeeded, 997,812 rows in 5.1 s, 195,649 rows/s');
  });

  it('leaves the estimate out while the total or the rate is unknown', () => {
    expect(describeProgress(event('advanced', 2_000), 1_000)).toBe('progress serving 2026-11-25: 2,000 rows, 2,000 rows/s');
    expect(describeProgress(event('advanced', 0, { rowsTotal: 10 }), 1_000)).toBe('progress serving 2026-11-25: 0 of 10 rows, 0 rows/s');
  });
});

describe('Function: createProgressReporter', () => {
  it('without a terminal writes one line per event, timing each step from its start', () => {
    // Prepare: a clock that advances 2 s per reading, an output that records
    const lines: string[] = [];
    let clock = 0;
    const reporter = createProgressReporter({ output: { line: () => undefined, info: (text) => lines.push(text), error: () => undefined }, tty: false, now: () => (clock += 2_000) });

    // Act
    reporter.onProgress(event('started', 0, { rowsTotal: 8_000 }));
    reporter.onProgress(event('advanced', 2_000, { rowsTotal: 8_000 }));
    reporter.info('ok       serving     2026-11-25 8000 rows (6 s)');
    reporter.onProgress(event('finished', 8_000, { rowsTotal: 8_000, status: 'succeeded' }));
    reporter.stop();

    // Assess
    expect(lines).toEqual([
      'progress serving 2026-11-25: started, 8,000 rows',
      'progress serving 2026-11-25: 2,000 of 8,000 rows, 500 rows/s, about 12 s left',
      'ok       serving     2026-11-25 8000 rows (6 s)',
      'progress serving 2026-11-25: succeeded, 8,000 of 8,000 rows in 6.0 s, 1,333 rows/s',
    ]);
  });
});
