import { z } from 'zod';
import type { DatasetSpec, HumanRole, Zone } from '@cur/contracts';
import { HUMAN_ROLES } from '@cur/contracts';
import type { SqlEngine } from '@cur/platform';
import type { MaskingPolicy } from '@cur/policy';
import { DEFAULT_K_THRESHOLD } from './constants';
import { kAnonymitySql } from './k-anonymity-sql';
import { quasiIdentifierViews } from './quasi-identifier-views';
import type { KAnonymityResult } from './types/k-anonymity-result';

/** The published partition a check reads, already registered as a view of the engine. */
export interface KAnonymityTarget {
  readonly dataset: DatasetSpec;
  readonly zone: Zone;
  readonly businessDate: string;
  /** The engine's view over the partition's files, with the columns as stored. */
  readonly view: string;
}

/** Options of {@link checkKAnonymity}. */
export interface CheckKAnonymityOptions {
  /** @default {@link DEFAULT_K_THRESHOLD} (5) */
  readonly threshold?: number;
  /** The human roles whose views are measured. @default every human role */
  readonly roles?: readonly HumanRole[];
}

const count = z.union([z.number(), z.string().regex(/^\d+$/)]).transform(Number);
const MeasureRowSchema = z.object({ classes: count, records: count, k: count.nullable(), records_below: count, classes_below: count });

/**
 * Measures k-anonymity of a published partition as each human role sees it: for every distinct view of the dataset's
 * quasi-identifiers (see {@link quasiIdentifierViews}), the smallest equivalence class in distinct customers and how
 * many customers are in classes below the threshold. Stored values are what human roles see of the columns they are
 * shown (quasi-identifiers are stored generalised), so the view is measured as stored.
 *
 * @returns one result per distinct view (roles sharing a view share a result); none when the dataset declares no
 *   quasi-identifiers
 * @example
 * await engine.registerParquetView('privacy_target', files);
 * const results = await checkKAnonymity(engine, createMaskingPolicy(), { dataset: getDataset('customer_features'), zone: 'consumption', businessDate, view: 'privacy_target' });
 * results.filter((result) => !result.passed); // views where someone can be singled out
 */
export async function checkKAnonymity(engine: SqlEngine, policy: MaskingPolicy, target: KAnonymityTarget, options: CheckKAnonymityOptions = {}): Promise<KAnonymityResult[]> {
  const threshold = options.threshold ?? DEFAULT_K_THRESHOLD;
  const { dataset } = target;
  const subject = dataset.primaryKey.length === 1 ? dataset.primaryKey[0] : undefined;
  const results: KAnonymityResult[] = [];
  for (const view of quasiIdentifierViews(policy, dataset, options.roles ?? HUMAN_ROLES)) {
    const rows = await engine.query(kAnonymitySql({ view: target.view, columns: view.columns, threshold, ...(subject === undefined ? {} : { subject }) }));
    const measured = MeasureRowSchema.parse(rows[0] ?? { classes: 0, records: 0, k: null, records_below: 0, classes_below: 0 });
    results.push({
      dataset: dataset.name,
      zone: target.zone,
      businessDate: target.businessDate,
      roles: [...view.roles],
      quasiIdentifiers: [...view.columns],
      threshold,
      records: measured.records,
      classes: measured.classes,
      k: measured.k,
      recordsBelowThreshold: measured.records_below,
      classesBelowThreshold: measured.classes_below,
      passed: measured.k === null || measured.k >= threshold,
    });
  }
  return results;
}
