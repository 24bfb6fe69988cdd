import type { HumanRole, Zone } from '@cur/contracts';

/**
 * k-anonymity of one dataset partition as some human roles see it. Column names, counts and k only: never a value.
 */
export interface KAnonymityResult {
  readonly dataset: string;
  readonly zone: Zone;
  readonly businessDate: string;
  /** The roles that see these quasi-identifiers. */
  readonly roles: readonly HumanRole[];
  /** The quasi-identifier columns measured, as the roles see them. */
  readonly quasiIdentifiers: readonly string[];
  readonly threshold: number;
  /** Customers measured (records when the dataset has no single-column key). */
  readonly records: number;
  /** Equivalence classes: distinct combinations of the quasi-identifiers' values. */
  readonly classes: number;
  /** The size of the smallest class; null when the partition is empty. */
  readonly k: number | null;
  /** Customers in classes smaller than the threshold: those who can be narrowed to fewer than `threshold`. */
  readonly recordsBelowThreshold: number;
  readonly classesBelowThreshold: number;
  /** True when k reaches the threshold (or there is nothing to measure). */
  readonly passed: boolean;
}
