import type { MaskMethod } from '@cur/policy';

/** A masked batch: one token per input value (null stays null) and the key version that made them. */
export interface MaskedBatch {
  readonly tokens: (string | null)[];
  /** The data key version used; `undefined` for methods without a key. Stored with the column (FF1 tokens carry none). */
  readonly keyVersion: number | undefined;
}

/** How a batch arrives. */
export interface MaskOptions {
  /**
   * The caller vouches that the values are distinct (a `SELECT DISTINCT`): they go to the cipher as given, without a
   * dedupe pass over a million strings. A null among them falls back to the deduping path.
   */
  readonly distinct?: boolean;
  /**
   * Masks with this key version instead of the key group's active one: the tokens values have in partitions masked
   * before a rotation. Methods without a key ignore it.
   */
  readonly keyVersion?: number;
}

/**
 * One column's masking, batch first: the pipeline hands over a whole column of a batch and each distinct value is
 * masked once. Implementations never put a value or a token into an error message.
 */
export interface ColumnMasker {
  readonly method: MaskMethod;
  /** True when SYSTEM can turn tokens back into values. */
  readonly reversible: boolean;
  mask(values: readonly (string | null)[], options?: MaskOptions): Promise<MaskedBatch>;
  /**
   * Turns tokens back into values (reversible methods only). `keyVersion` is needed for formats that carry no
   * version (FF1); tokens that carry one (DAEAD) use their own.
   *
   * @throws MaskingError NOT_REVERSIBLE for irreversible methods, TOKEN_INVALID for a token this masker did not make
   */
  unmask(tokens: readonly (string | null)[], keyVersion?: number): Promise<(string | null)[]>;
}

/**
 * Maps each distinct non-null value once and spreads the results back: a customer's ID appears in thousands of card
 * transactions, and the cipher should see it once per batch.
 */
export async function mapDistinct(
  values: readonly (string | null)[],
  transform: (distinct: string[]) => Promise<string[]> | string[],
  options: MaskOptions = {},
): Promise<(string | null)[]> {
  if (options.distinct && !values.includes(null)) return values.length === 0 ? [] : transform(values as string[]);
  const index = new Map<string, number>();
  const distinct: string[] = [];
  const positions = new Int32Array(values.length);
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i];
    if (value === null || value === undefined) {
      positions[i] = -1;
      continue;
    }
    let at = index.get(value);
    if (at === undefined) {
      at = distinct.length;
      index.set(value, at);
      distinct.push(value);
    }
    positions[i] = at;
  }
  const mapped = distinct.length === 0 ? [] : await transform(distinct);
  const out = new Array<string | null>(values.length);
  for (let i = 0; i < values.length; i += 1) {
    const at = positions[i] ?? -1;
    out[i] = at < 0 ? null : (mapped[at] ?? null);
  }
  return out;
}
