/** Where a step is: `started` (before its first attempt), `advanced` (part of its rows done), `finished` (any outcome). */
export const STEP_PROGRESS_PHASES = ['started', 'advanced', 'finished'] as const;

/** One of {@link STEP_PROGRESS_PHASES}. */
export type StepProgressPhase = (typeof STEP_PROGRESS_PHASES)[number];

/**
 * A progress event of a pipeline step, for a terminal's progress bars or a log line: names and counts only, never a
 * value of the data (a target is a batch id, `dataset/date` or a date, as in the run log).
 */
export interface StepProgress {
  /** The kind of step: mask, transform, consumption, mart, serving, ... */
  readonly step: string;
  /** What it works on, as the run log names it. */
  readonly target: string;
  readonly phase: StepProgressPhase;
  /** Rows done so far (at `finished`: the step's output rows, or the last count it reported). */
  readonly rowsDone: number;
  /** Rows the step will handle, when known before it ends (a batch's declared row count, the serving load's rows). */
  readonly rowsTotal?: number;
  /** At `finished`: how the step ended. */
  readonly status?: 'succeeded' | 'failed' | 'skipped' | 'cancelled';
}
