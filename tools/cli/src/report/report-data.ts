import { z } from 'zod';
import type { AirflowDagGraph } from '@cur/lineage';

/** What `cur report` reads of a run log (`system/runs/<runId>.json`): names, statuses and counts, never a value. */
export const RunLogSchema = z.object({
  runId: z.string().min(1).max(200),
  startedAt: z.string(),
  status: z.string(),
  businessDates: z.array(z.string()).default([]),
  steps: z.array(
    z.object({
      step: z.string(),
      target: z.string(),
      status: z.string(),
      rowCount: z.number().optional(),
      counts: z.record(z.string(), z.number()).optional(),
    }),
  ),
});

/** One run log as the report reads it. */
export type RunLog = z.infer<typeof RunLogSchema>;

/** The zone a step writes (a DQ gate's target names it: `<zone>/<dataset>/<date>`). */
export const ZONE_OF_STEP: Readonly<Record<string, string>> = { mask: 'raw', transform: 'transformed', consumption: 'consumption', mart: 'mart', serving: 'serving' };

/** Zones in the order data flows, for the rows-per-zone columns. */
export const REPORT_ZONES = ['raw', 'transformed', 'consumption', 'mart', 'serving'] as const;

/** Rows written per zone by one run. */
export interface RunRows {
  readonly runId: string;
  readonly startedAt: string;
  readonly status: string;
  readonly businessDates: readonly string[];
  readonly rowsByZone: Readonly<Record<string, number>>;
  readonly rejected: number;
}

/** A DQ gate's result in one run: rules evaluated and failed for a zone's dataset. */
export interface DqOverRuns {
  /** `<zone>/<dataset>` */
  readonly gate: string;
  /** runId -> result; absent when the run did not evaluate the gate. */
  readonly byRun: Readonly<Record<string, { readonly rules: number; readonly failed: number; readonly status: string }>>;
}

/** Customers per tag for one business date (the mart's tag_metrics_monthly, summed over branches). */
export interface TagCount {
  readonly businessDate: string;
  readonly tag: string;
  readonly customers: number;
}

/** Everything the page shows. */
export interface ReportData {
  readonly generatedAt: string;
  readonly role: string;
  readonly stateFolder: string;
  readonly runs: readonly RunRows[];
  readonly dq: readonly DqOverRuns[];
  readonly tags: readonly TagCount[];
  readonly graph: AirflowDagGraph;
}

/** Rows per zone of a run: succeeded data steps' row counts summed by the zone they write; rejects apart. */
export function rowsOfRun(log: RunLog): RunRows {
  const rowsByZone: Record<string, number> = {};
  let rejected = 0;
  for (const step of log.steps) {
    const zone = ZONE_OF_STEP[step.step];
    if (zone === undefined || step.status !== 'succeeded') continue;
    rowsByZone[zone] = (rowsByZone[zone] ?? 0) + (step.rowCount ?? 0);
    rejected += step.counts?.['rowsRejected'] ?? 0;
  }
  return { runId: log.runId, startedAt: log.startedAt, status: log.status, businessDates: log.businessDates, rowsByZone, rejected };
}

/** Each DQ gate's rules and failures per run, gates sorted by name. */
export function dqOverRuns(logs: readonly RunLog[]): DqOverRuns[] {
  const gates = new Map<string, Record<string, { rules: number; failed: number; status: string }>>();
  for (const log of logs) {
    for (const step of log.steps) {
      if (step.step !== 'dq') continue;
      const gate = step.target.split('/').slice(0, 2).join('/');
      const byRun = gates.get(gate) ?? {};
      byRun[log.runId] = { rules: step.counts?.['rules'] ?? 0, failed: step.counts?.['failed'] ?? 0, status: step.status };
      gates.set(gate, byRun);
    }
  }
  return [...gates.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([gate, byRun]) => ({ gate, byRun }));
}
