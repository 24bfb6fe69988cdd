import type { MetricsSink } from '@cur/platform';
import { METRIC_NAMES, MetricUnit, createMetrics, type Metrics } from '@cur/platform/metrics';

/** What {@link StepMetrics} reads of a finished step (a `StepRun` of the run log). */
export interface FinishedStep {
  readonly step: string;
  readonly target: string;
  readonly status: string;
  readonly rowCount?: number;
}

/** Options of {@link StepMetrics}. */
export interface StepMetricsOptions {
  /** Where each document goes. @default none: Powertools prints it on stdout, where CloudWatch reads EMF in AWS */
  readonly sink?: MetricsSink;
  /** @default createMetrics({ serviceName: 'pipeline' }) (namespace `CUR`) */
  readonly metrics?: Metrics;
}

/**
 * The pipeline's rows per step as a CloudWatch metric: for each step that succeeded with a row count, one EMF
 * document (Powertools Metrics) with `RowsWritten` in dimensions `service` and `step`, the step's target and the run
 * id as metadata. Names and counts only.
 *
 * @example
 * const metrics = new StepMetrics({ sink: new OutboxMetricsSink(join(home, 'outbox')) });
 * await runPipeline({ ...deps, stepMetrics: metrics });
 */
export class StepMetrics {
  readonly #metrics: Metrics;
  readonly #sink: MetricsSink | undefined;

  constructor(options: StepMetricsOptions = {}) {
    this.#metrics = options.metrics ?? createMetrics({ serviceName: 'pipeline' });
    this.#sink = options.sink;
  }

  /** Publishes the step's rows; a step that did not succeed, or wrote no counted rows, publishes nothing. */
  async record(step: FinishedStep, runId: string): Promise<void> {
    if (step.status !== 'succeeded' || step.rowCount === undefined) return;
    // Added and taken out with no await between, so steps finishing side by side never share a document.
    const metrics = this.#metrics;
    metrics.addDimension('step', step.step);
    metrics.addMetric(METRIC_NAMES.rowsWritten, MetricUnit.Count, step.rowCount);
    metrics.addMetadata('target', step.target);
    metrics.addMetadata('runId', runId);
    if (this.#sink === undefined) {
      metrics.publishStoredMetrics();
      return;
    }
    const document = metrics.serializeMetrics();
    metrics.clearMetrics();
    metrics.clearDimensions();
    metrics.clearMetadata();
    await this.#sink.publish(document);
  }
}
