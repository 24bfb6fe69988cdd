import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCurBin } from '../helpers/run-cur-bin';

interface RunLog {
  readonly runId: string;
  readonly steps: readonly { readonly step: string; readonly target: string; readonly status: string; readonly rowCount?: number }[];
}

describe('rows per step as a metric (issue 17, point 6; the real executable)', () => {
  let home: string | undefined;
  afterAll(async () => {
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('writes one RowsWritten EMF document per succeeded step to outbox/metrics.jsonl, the counts of the run log', async () => {
    // Act
    home = await mkdtemp(join(tmpdir(), 'cur-step-metrics-'));
    const demo = await runCurBin(['demo', '--customers', '60'], home);

    // Assess
    expect(demo.code, demo.stderr).toBe(0);
    const [logFile] = await readdir(join(home, 'lake', 'system', 'runs'));
    const log = JSON.parse(await readFile(join(home, 'lake', 'system', 'runs', logFile ?? ''), 'utf8')) as RunLog;
    // A DQ gate's count is of rules, not rows: it is not a step's output.
    const counted = log.steps.filter((step) => step.status === 'succeeded' && step.rowCount !== undefined && step.step !== 'dq');
    const documents = (await readFile(join(home, 'outbox', 'metrics.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(counted.map((step) => step.step)).toEqual(expect.arrayContaining(['mask', 'transform', 'consumption', 'mart']));
    // Steps side by side append in the order they finish.
    const byStepAndTarget = (a: unknown[], b: unknown[]): number => `${String(a[0])} ${String(a[1])}`.localeCompare(`${String(b[0])} ${String(b[1])}`);
    expect(documents.map((document) => [document['step'], document['target'], document['RowsWritten'], document['runId']]).sort(byStepAndTarget)).toEqual(
      counted.map((step) => [step.step, step.target, step.rowCount, log.runId]).sort(byStepAndTarget),
    );
    for (const document of documents) expect(document['_aws']).toMatchObject({ CloudWatchMetrics: [{ Namespace: 'CUR', Dimensions: [['service', 'step']], Metrics: [{ Name: 'RowsWritten', Unit: 'Count' }] }] });
  }, 240_000);
});
