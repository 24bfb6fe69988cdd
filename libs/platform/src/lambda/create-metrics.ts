import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Logger } from '@aws-lambda-powertools/logger';

/** The CloudWatch namespace of every platform metric (the CDK sets `POWERTOOLS_METRICS_NAMESPACE` to the same). */
export const METRICS_NAMESPACE = 'CUR';

/** The platform's metric names, one place so dashboards and alarms can rely on them. */
export const METRIC_NAMES = {
  /** Batches the ingestion-controller accepted (claimed in the ledger and announced). */
  batchesAccepted: 'BatchesAccepted',
  /** Batches it refused or quarantined. */
  batchesRefused: 'BatchesRefused',
  /** Failed DQ rules the dq-notifier received (alerted or already alerted). */
  dqFailures: 'DqRuleFailures',
  /** DQ alerts it published. */
  dqAlertsPublished: 'DqAlertsPublished',
  /** Rows a pipeline step wrote (dimension `step`). */
  rowsWritten: 'RowsWritten',
} as const;

/** Options of {@link createMetrics}. */
export interface CreateMetricsOptions {
  /** The `service` dimension, e.g. `ingestion-controller`. */
  readonly serviceName: string;
  /**
   * Where Powertools' own warnings go (EMF lines always go to stdout).
   * @default - Powertools' default (stdout)
   */
  readonly logger?: Logger;
}

/**
 * Creates the one Powertools `Metrics` of a service, namespace {@link METRICS_NAMESPACE}, dimension `service`.
 * Import it from `@cur/platform/metrics`, so only services that count something bundle Powertools Metrics. Metrics are
 * flushed by `instrumentHandler` at the end of each invocation; values are counts, never data.
 *
 * @example
 * const metrics = createMetrics({ serviceName: 'ingestion-controller' });
 * metrics.addMetric(METRIC_NAMES.batchesAccepted, MetricUnit.Count, 1);
 */
export function createMetrics(options: CreateMetricsOptions): Metrics {
  return new Metrics({ namespace: METRICS_NAMESPACE, serviceName: options.serviceName, ...(options.logger ? { logger: options.logger } : {}) });
}

export { Metrics, MetricUnit };
