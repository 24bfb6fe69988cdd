import { ALL_DATASET_NAMES, getDataset } from '@cur/contracts';
import type { Caller, ColumnBatch } from '@cur/masking';
import { MAX_BATCH_VALUES } from '@cur/masking';
import { ValidationError } from '@cur/platform';
import type { MaskingPolicy } from '@cur/policy';

/** Which result column to reveal, and the dataset column whose key made its tokens. */
export interface RevealTarget {
  readonly resultColumn: string;
  readonly dataset: string;
  readonly column: string;
}

/** The token service's detokenize: SYSTEM only, every call audited there. */
export type Detokenize = (caller: Caller, batch: ColumnBatch) => Promise<(string | null)[]>;

const REVERSIBLE = new Set(['ff1', 'daead']);

/**
 * Reads `--reveal` specs: `name` (a result column named like a tokenized dataset column, e.g. `cust_id`) or
 * `alias=dataset.column` (a result column whose tokens come from that column). A name shared by columns of different
 * key groups is ambiguous and must be spelled out.
 *
 * @throws ValidationError for an unknown or non-reversible column
 */
export function parseRevealTargets(specs: readonly string[], policy: MaskingPolicy): RevealTarget[] {
  return specs.flatMap((spec) => spec.split(',')).filter((spec) => spec.trim() !== '').map((spec) => {
    const [resultColumn = '', source] = spec.trim().split('=', 2);
    if (source !== undefined) {
      const [dataset = '', column = ''] = source.split('.', 2);
      if (!reversible(policy, dataset, column)) throw notReversible(spec);
      return { resultColumn, dataset, column };
    }
    const candidates = ALL_DATASET_NAMES.filter((dataset) => reversible(policy, dataset, resultColumn));
    const keyGroups = new Set(candidates.map((dataset) => policy.keyGroupFor(dataset, resultColumn)));
    const [dataset] = candidates;
    if (dataset === undefined) throw notReversible(spec);
    if (keyGroups.size > 1) {
      throw new ValidationError(`--reveal ${spec}: columns named '${resultColumn}' use different keys in ${candidates.join(', ')}; say which, e.g. --reveal ${resultColumn}=${dataset}.${resultColumn}`);
    }
    return { resultColumn, dataset, column: resultColumn };
  });
}

/**
 * Replaces the tokens of each target column of `rows` by their plaintext, through the token service: distinct tokens
 * only, in batches the service accepts. A refusal (any role but SYSTEM) is audited by the service and thrown.
 */
export async function revealColumns(
  rows: Record<string, unknown>[],
  targets: readonly RevealTarget[],
  detokenize: Detokenize,
  caller: Caller,
  keyVersionOf: (target: RevealTarget) => number | undefined,
): Promise<{ column: string; revealed: number }[]> {
  const report: { column: string; revealed: number }[] = [];
  for (const target of targets) {
    if (rows.length > 0 && !(target.resultColumn in (rows[0] ?? {}))) {
      throw new ValidationError(`--reveal ${target.resultColumn}: the result has no such column (it has ${Object.keys(rows[0] ?? {}).join(', ')})`);
    }
    const tokens = [...new Set(rows.map((row) => row[target.resultColumn]).filter((value): value is string => typeof value === 'string' && value !== ''))];
    const plain = new Map<string, string | null>();
    const keyVersion = keyVersionOf(target);
    for (let start = 0; start < tokens.length; start += MAX_BATCH_VALUES) {
      const slice = tokens.slice(start, start + MAX_BATCH_VALUES);
      const values = await detokenize(caller, { dataset: target.dataset, column: target.column, values: slice, ...(keyVersion === undefined ? {} : { keyVersion }) });
      slice.forEach((token, i) => plain.set(token, values[i] ?? null));
    }
    for (const row of rows) {
      const token = row[target.resultColumn];
      if (typeof token === 'string' && plain.has(token)) row[target.resultColumn] = plain.get(token);
    }
    report.push({ column: target.resultColumn, revealed: tokens.length });
  }
  return report;
}

function reversible(policy: MaskingPolicy, dataset: string, column: string): boolean {
  if (!(ALL_DATASET_NAMES as readonly string[]).includes(dataset)) return false;
  if (!getDataset(dataset).columns.some((spec) => spec.name === column)) return false;
  return REVERSIBLE.has(policy.storageTreatmentFor(dataset, column).method);
}

function notReversible(spec: string): ValidationError {
  return new ValidationError(`--reveal ${spec}: not a tokenized column that can be reversed (reversible: format-preserving and sealed tokens of direct identifiers; generalised and hashed values cannot be)`);
}
