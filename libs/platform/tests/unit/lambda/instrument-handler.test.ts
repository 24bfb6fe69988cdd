import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger, instrumentHandler } from '../../../src/index';
import { METRIC_NAMES, METRICS_NAMESPACE, MetricUnit, createMetrics } from '../../../src/lambda/create-metrics';
import { lambdaContext as realLambdaContext } from '../../../src/testing/lambda-context';

describe('Function: instrumentHandler', () => {
  let lines: string[];
  beforeEach(() => {
    lines = [];
    // Powertools writes logs and EMF to stdout (WARN and above to stderr): capture both, one JSON object a line.
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        return true;
      });
    }
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  const records = (): Record<string, unknown>[] => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

  it('puts the Lambda context on every log line of the invocation: function_request_id, and cold_start true only on the first', async () => {
    // Prepare: the environment Lambda gives an on-demand function, X-Ray trace header included
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    vi.stubEnv('_X_AMZN_TRACE_ID', 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=557abcec3ee5a047;Sampled=1');
    const logger = createLogger({ serviceName: 'ingestion-controller', logLevel: 'INFO' });
    const handler = instrumentHandler(async (event: { n: number }) => {
      logger.info('handled', { count: event.n });
      return event.n;
    }, { logger });

    // Act
    await handler({ n: 1 }, realLambdaContext('11111111-1111-4111-8111-111111111111'));
    await handler({ n: 2 }, realLambdaContext('22222222-2222-4222-8222-222222222222'));

    // Assess
    const [first, second] = records().filter((record) => record['message'] === 'handled');
    // The account ID and the request ID's last group are digit runs the scrubber would take for account numbers.
    expect(first).toMatchObject({
      function_request_id: '11111111-1111-4111-8111-111111111111',
      cold_start: true,
      function_arn: 'arn:aws:lambda:ap-northeast-1:123456789012:function:cur-dev-ingestion-controller',
      xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793',
      count: 1,
    });
    expect(second).toMatchObject({ function_request_id: '22222222-2222-4222-8222-222222222222', cold_start: false, count: 2 });
  });

  it('flushes the metrics the handler added as one EMF line in the CUR namespace, even when the handler throws', async () => {
    // Prepare
    const logger = createLogger({ serviceName: 'ingestion-controller', logLevel: 'SILENT' });
    const metrics = createMetrics({ serviceName: 'ingestion-controller', logger });
    const handler = instrumentHandler(async () => {
      metrics.addMetric(METRIC_NAMES.batchesRefused, MetricUnit.Count, 1);
      throw new Error('refused');
    }, { logger, metrics });

    // Act
    await expect(handler({}, realLambdaContext())).rejects.toThrow('refused');

    // Assess
    const emf = records().filter((record) => '_aws' in record);
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: METRICS_NAMESPACE, Dimensions: [['service']], Metrics: [{ Name: 'BatchesRefused', Unit: 'Count' }] }] },
      service: 'ingestion-controller',
      BatchesRefused: 1,
    });
    expect(metrics.hasStoredMetrics()).toBe(false);
  });

  it('still scrubs a value under an identifier key when it does not have the identifier format', () => {
    const logger = createLogger({ serviceName: 'ingestion-controller', logLevel: 'INFO' });
    logger.info('nested', { details: { function_request_id: 'A123456789', function_arn: 'arn:aws:lambda:x:0987654321:function:f' } });
    expect(lines.join('')).not.toContain('A123456789');
    expect(lines.join('')).not.toContain('0987654321');
  });

  it('publishes nothing when the handler added no metric', async () => {
    const logger = createLogger({ serviceName: 'retrieval-api', logLevel: 'SILENT' });
    const metrics = createMetrics({ serviceName: 'retrieval-api', logger });
    await instrumentHandler(async () => 'ok', { logger, metrics })({}, realLambdaContext());
    expect(lines).toEqual([]);
  });
});
