import type { ModelVersion } from './model-history';

/** One field that differs between two versions (or is the same, for metrics). */
export interface FieldDifference<T> {
  readonly name: string;
  readonly a: T | undefined;
  readonly b: T | undefined;
}

/** How two versions differ: what they were trained with, on what, and how they scored. */
export interface VersionComparison {
  readonly a: string;
  readonly b: string;
  /** Hyperparameters that differ (SageMaker's own `sagemaker_*` entries left out). */
  readonly hyperparameters: readonly FieldDifference<string>[];
  /** Every metric of either, with `b - a` where both have it. */
  readonly metrics: readonly (FieldDifference<number> & { readonly delta?: number })[];
  /** Whether both read exactly the same published partitions (same content hashes). */
  readonly sameData: boolean;
  readonly dataOnlyInA: readonly string[];
  readonly dataOnlyInB: readonly string[];
  readonly codeVersion: FieldDifference<string>;
}

/** Compares two versions field by field. */
export function compareVersions(a: ModelVersion, b: ModelVersion): VersionComparison {
  const names = [...new Set([...Object.keys(a.hyperparameters), ...Object.keys(b.hyperparameters)])].filter((n) => !n.startsWith('sagemaker_')).sort();
  const hyperparameters = names.filter((n) => a.hyperparameters[n] !== b.hyperparameters[n]).map((name) => ({ name, a: a.hyperparameters[name], b: b.hyperparameters[name] }));
  const metricNames = [...new Set([...Object.keys(a.metrics), ...Object.keys(b.metrics)])].sort();
  const metrics = metricNames.map((name) => {
    const [x, y] = [a.metrics[name], b.metrics[name]];
    return { name, a: x, b: y, ...(x !== undefined && y !== undefined ? { delta: y - x } : {}) };
  });
  const ref = (d: ModelVersion['data'][number]): string => `${d.zone}.${d.dataset} ${d.businessDate} ${d.contentSha256.slice(0, 12)}`;
  const dataA = new Set(a.data.map(ref));
  const dataB = new Set(b.data.map(ref));
  const dataOnlyInA = [...dataA].filter((d) => !dataB.has(d));
  const dataOnlyInB = [...dataB].filter((d) => !dataA.has(d));
  return {
    a: a.versionId,
    b: b.versionId,
    hyperparameters,
    metrics,
    sameData: dataOnlyInA.length === 0 && dataOnlyInB.length === 0,
    dataOnlyInA,
    dataOnlyInB,
    codeVersion: { name: 'codeVersion', a: a.codeVersion, b: b.codeVersion },
  };
}
