/** One document in CloudWatch's embedded metric format (EMF), as Powertools Metrics serializes it. Counts only. */
export type EmfDocument = Readonly<Record<string, unknown>>;

/**
 * Where a process that does not print its metrics to a CloudWatch-read stdout sends them: locally an outbox file
 * (`OutboxMetricsSink`). Without one, Powertools Metrics prints each document on stdout itself, as in AWS.
 */
export interface MetricsSink {
  publish(document: EmfDocument): Promise<void>;
}
