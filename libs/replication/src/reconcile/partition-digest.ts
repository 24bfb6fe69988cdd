import { createHash } from 'node:crypto';
import type { ReplicaTable } from '../replica-tables';
import { canonicalValue } from './canonical-value';

/** What a partition holds, in two numbers that can be compared across stores without moving a single value. */
export interface PartitionDigest {
  readonly rows: number;
  /**
   * The sum, modulo 2^256, of the SHA-256 of each row's canonical form (hex, 64 digits): independent of row order,
   * sensitive to every value, to a row missing or added, and to a row repeated.
   */
  readonly sha256Sum: string;
}

const MODULUS = 1n << 256n;

/** The canonical form of one row: the contract's columns in declared order, as JSON text. */
export function canonicalRow(table: ReplicaTable, row: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(table.columns.map(({ spec }) => canonicalValue(spec, row[spec.name])));
}

/**
 * Digests rows keyed by the contract's column names, as each side of the reconciliation reads them; computed the
 * same way for the lake and the replica.
 *
 * @example
 * const lake = await digestRows(table, reader.rows(manifest));
 */
export async function digestRows(table: ReplicaTable, rows: AsyncIterable<Readonly<Record<string, unknown>>> | Iterable<Readonly<Record<string, unknown>>>): Promise<PartitionDigest> {
  let count = 0;
  let sum = 0n;
  for await (const row of rows) {
    count += 1;
    sum = (sum + BigInt(`0x${createHash('sha256').update(canonicalRow(table, row)).digest('hex')}`)) % MODULUS;
  }
  return { rows: count, sha256Sum: sum.toString(16).padStart(64, '0') };
}
