import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ColumnSpec } from '@cur/contracts';
import { getDataset } from '@cur/contracts';
import type { BlobStore, SqlEngine } from '@cur/platform';
import { manifestKey as publishedManifestKey } from '@cur/lake';

/** One customer of a fixture day; unset features get plausible values. */
export interface FixtureCustomer {
  readonly token: string;
  readonly segment: string;
  readonly tags: readonly string[];
  readonly features?: Readonly<Record<string, string | number | null>>;
}

/** One row of `segment_metrics_monthly`. */
export interface FixtureSegmentMetrics {
  readonly month: string;
  readonly segment: string;
  readonly customers: number;
  readonly avgAum?: number;
}

/** A business date's published consumption layer and mart, as the pipeline would publish them. */
export interface FixtureDay {
  readonly businessDate: string;
  readonly customers: readonly FixtureCustomer[];
  readonly segmentMetrics?: readonly FixtureSegmentMetrics[];
  /** Recorded in the transformed customer_profile manifest the features name as input. @default 1 */
  readonly customerTokenKeyVersion?: number;
}

/** Where a fixture is published: the system bucket, an engine that writes Parquet, and the local path of an object. */
export interface FixtureTarget {
  readonly system: BlobStore;
  readonly engine: SqlEngine;
  readonly locate: (bucket: 'consumption' | 'mart', key: string) => string;
}

/**
 * Publishes a fixture day the way the pipeline does (Parquet files in the consumption and mart buckets, then their
 * manifests in the system bucket), so the serving load can be tested without running the whole pipeline.
 */
export async function publishServingFixture(target: FixtureTarget, day: FixtureDay): Promise<void> {
  const date = day.businessDate;
  const features = getDataset('customer_features').columns;
  const featureRows = day.customers.map((customer) => columnValues(features, { ...defaultFeatures(customer.token), ...customer.features, cust_id: customer.token, segment: customer.segment }));
  const tagRows = day.customers.flatMap((customer) => customer.tags.map((tag) => columnValues(getDataset('customer_tags').columns, { cust_id: customer.token, tag })));
  const metrics = getDataset('segment_metrics_monthly').columns;
  const metricRows = (day.segmentMetrics ?? []).map((m) =>
    columnValues(metrics, { month: m.month, segment: m.segment, customers: m.customers, avg_aum: m.avgAum ?? 1_000_000, avg_card_spend_1m: 12_345.5, avg_digital_events_30d: 7.25, customers_prev_month: null, mom_change: null }),
  );
  const profileManifest = publishedManifestKey('transformed', 'customer_profile', date);
  await target.system.put(
    profileManifest,
    JSON.stringify({ dataset: 'customer_profile', zone: 'transformed', businessDate: date, step: 'transform', runId: 'fixture', files: [], rowCount: day.customers.length, contentSha256: '', schemaSha256: '', inputs: [], counts: {}, keyVersions: { cust_id: day.customerTokenKeyVersion ?? 1 }, startedAt: new Date().toISOString(), durationMs: 0 }),
  );
  await publish(target, 'consumption', 'customer_features', date, features, featureRows, [profileManifest]);
  await publish(target, 'consumption', 'customer_tags', date, getDataset('customer_tags').columns, tagRows, [profileManifest]);
  if (metricRows.length > 0) await publish(target, 'mart', 'segment_metrics_monthly', date, metrics, metricRows, []);
}

/** Customers `<letter><class><8 digits>` with a deterministic segment and tags. */
export function fixtureCustomers(count: number, options: { prefix?: string; tags?: (index: number) => string[]; features?: (index: number) => Record<string, number | string | null> } = {}): FixtureCustomer[] {
  const segments = ['MASS', 'MASS_AFFLUENT', 'AFFLUENT', 'PRIVATE'];
  return Array.from({ length: count }, (_, index) => ({
    token: `${options.prefix ?? 'Q2'}${String(index).padStart(8, '0')}`,
    segment: segments[index % segments.length] ?? 'MASS',
    tags: options.tags ? options.tags(index) : index % 2 === 0 ? ['digital_native', 'high_value'] : ['digitally_dormant'],
    ...(options.features ? { features: options.features(index) } : {}),
  }));
}

function defaultFeatures(token: string): Record<string, string | number | null> {
  const n = Number(token.slice(-4)) || 0;
  return {
    age_band: '25-34', gender: n % 2 === 0 ? 'F' : 'M', branch_code: `B${String(n % 20).padStart(3, '0')}`, risk_level: (n % 5) + 1, tenure_months: 12 + (n % 100),
    aum_total: 1000 * n, aum_deposit: 600 * n, aum_investment: 400 * n, loan_balance: 0, card_spend_1m: 10 * n, card_spend_3m: 30 * n, card_spend_6m: 60 * n,
    card_txn_count_1m: n % 30, top_mcc_1m: '5411', digital_events_30d: n % 40, digital_logins_30d: n % 10, app_share: 0.5,
  };
}

function columnValues(columns: readonly ColumnSpec[], values: Readonly<Record<string, string | number | null | undefined>>): string {
  return `(${columns.map((column) => literal(values[column.name], column.type)).join(', ')})`;
}

function sqlType(type: string): string {
  if (type === 'string') return 'VARCHAR';
  if (type === 'int') return 'INTEGER';
  return type.toUpperCase();
}

function literal(value: string | number | null | undefined, type: string): string {
  if (value === null || value === undefined) return `CAST(NULL AS ${sqlType(type)})`;
  return `CAST(${typeof value === 'number' ? String(value) : `'${value.replaceAll("'", "''")}'`} AS ${sqlType(type)})`;
}

async function publish(target: FixtureTarget, zone: 'consumption' | 'mart', dataset: string, businessDate: string, columns: readonly ColumnSpec[], rows: readonly string[], inputs: readonly string[]): Promise<void> {
  const key = `${dataset}/business_date=${businessDate}/part-fixture.parquet`;
  const file = target.locate(zone, key);
  await mkdir(dirname(file), { recursive: true });
  const names = columns.map((column) => column.name).join(', ');
  const select =
    rows.length > 0
      ? `SELECT *, DATE '${businessDate}' AS business_date FROM (VALUES ${rows.join(', ')}) AS t(${names})`
      : `SELECT ${columns.map((column) => `CAST(NULL AS ${sqlType(column.type)}) AS ${column.name}`).join(', ')}, DATE '${businessDate}' AS business_date WHERE 1 = 0`;
  const rowCount = await target.engine.writeParquet(select, file);
  await target.system.put(
    publishedManifestKey(zone, dataset, businessDate),
    JSON.stringify({ dataset, zone, businessDate, step: zone, runId: 'fixture', files: [key], rowCount, contentSha256: '', schemaSha256: '', inputs, counts: {}, keyVersions: {}, startedAt: new Date().toISOString(), durationMs: 0 }),
  );
}
