/**
 * One column of a step's output and the input columns its value is computed from, derived from the step's plan
 * (its SQL) or a tag's definition, never written by hand. `buildLineage` turns each into DataHub's fine-grained
 * lineage on the task that runs the step, the input columns in the zones that task reads them from.
 */
export interface ColumnDerivation {
  /** The definition's step that writes the output (`consumption`, `mart`). */
  readonly step: string;
  /** The dataset written. */
  readonly output: string;
  readonly column: string;
  /** Columns of the step's input datasets. */
  readonly upstreams: readonly { readonly dataset: string; readonly column: string }[];
  /**
   * `COPY` when the value is an input column's unchanged at every hop (a token stays the same token), `SQL` when
   * computed from them, `TAG:<name>` for the tag column of a rule-based tag whose predicate reads them.
   */
  readonly operation: string;
}
