import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OutboxMetricsSink } from '@cur/adapters-local';
import { StepMetrics } from '../../../src/metrics/step-metrics';

/** The EMF fields a CloudWatch metric is made of, as CloudWatch reads them. */
const emfOf = (document: Readonly<Record<string, unknown>>) => {
  const aws = document['_aws'] as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  return { namespace: aws.CloudWatchMetrics[0]?.Namespace, dimensions: aws.CloudWatchMetrics[0]?.Dimensions, metrics: aws.CloudWatchMetrics[0]?.Metrics };
};

describe('Class: StepMetrics', () => {
  let dir: string | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('publishes one RowsWritten document per succeeded step to the sink, with the step as a dimension', async () => {
    // Prepare
    dir = await mkdtemp(join(tmpdir(), 'cur-step-metrics-'));
    const sink = new OutboxMetricsSink(join(dir, 'outbox'));
    const metrics = new StepMetrics({ sink });

    // Act: the two mask steps finish side by side
    await Promise.all([
      metrics.record({ step: 'mask', target: 'customer_profile/2026-11-25', status: 'succeeded', rowCount: 120 }, 'run-1'),
      metrics.record({ step: 'transform', target: 'customer_profile/2026-11-25', status: 'succeeded', rowCount: 117 }, 'run-1'),
    ]);
    await metrics.record({ step: 'mart', target: '2026-11-25', status: 'failed' }, 'run-1');
    await metrics.record({ step: 'score', target: '2026-11-25', status: 'skipped' }, 'run-1');
    await metrics.record({ step: 'consumption', target: '2026-11-25', status: 'succeeded' }, 'run-1');

    // Assess
    const documents = await sink.read();
    expect(documents).toHaveLength(2);
    expect(documents.map((document) => [document['step'], document['RowsWritten'], document['target'], document['runId'], document['service']])).toEqual([
      ['mask', 120, 'customer_profile/2026-11-25', 'run-1', 'pipeline'],
      ['transform', 117, 'customer_profile/2026-11-25', 'run-1', 'pipeline'],
    ]);
    for (const document of documents) expect(emfOf(document)).toEqual({ namespace: 'CUR', dimensions: [['service', 'step']], metrics: [{ Name: 'RowsWritten', Unit: 'Count' }] });
    expect((await stat(sink.file)).mode & 0o777).toBe(0o600);
  });

  it('is the metric the Glue jobs put in CloudWatch: the same namespace, name, unit, service and dimensions', async () => {
    // Prepare: what cur_spark.step_metrics reads (packaged with the Glue jobs' runner)
    const glue = JSON.parse(await readFile(resolve(__dirname, '../../../../spark-runner/src/cur_spark/step_metric.json'), 'utf8')) as { namespace: string; name: string; unit: string; service: string; dimensions: string[] };
    dir = await mkdtemp(join(tmpdir(), 'cur-step-metrics-'));
    const sink = new OutboxMetricsSink(join(dir, 'outbox'));

    // Act
    await new StepMetrics({ sink }).record({ step: 'mart', target: '2026-11-25', status: 'succeeded', rowCount: 945 }, 'run-3');

    // Assess
    const [document = {}] = await sink.read();
    expect(emfOf(document)).toEqual({ namespace: glue.namespace, dimensions: [glue.dimensions], metrics: [{ Name: glue.name, Unit: glue.unit }] });
    expect(document['service']).toBe(glue.service);
  });

  it('prints each document on stdout through Powertools when there is no sink, as in AWS', async () => {
    // Prepare
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const metrics = new StepMetrics();

    // Act
    await metrics.record({ step: 'mart', target: '2026-11-25', status: 'succeeded', rowCount: 945 }, 'run-2');
    vi.restoreAllMocks();

    // Assess
    const documents = lines.filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(documents).toHaveLength(1);
    expect(documents[0]).toMatchObject({ step: 'mart', RowsWritten: 945, target: '2026-11-25', runId: 'run-2' });
    expect(emfOf(documents[0] ?? {}).namespace).toBe('CUR');
  });
});
