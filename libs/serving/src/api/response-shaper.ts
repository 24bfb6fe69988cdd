import type { MaskingPolicy, Treatment } from '@cur/policy';

/** What a redacted column shows. */
export const REDACTED_VALUE = '[REDACTED]';

type Value = string | number | boolean | null;

/** How one column is shown to one role. */
type Rule = 'stored' | 'redact';

/** What one role sees of one dataset, compiled once: the columns it may see and how. */
export interface DatasetView {
  /** True when the role sees the column in some form. */
  visible(column: string): boolean;
  /** One column's value as the role sees it; `undefined` when it may not see it. */
  value(column: string, stored: Value): Value | undefined;
  /** The columns of a stored record the role may see, shaped; the others are left out. */
  columns(stored: Readonly<Record<string, Value>>): Record<string, Value>;
}

/**
 * Shapes every column of a response by the masking policy for the caller's role. The serving store holds what the
 * consumption layer holds: public columns in plaintext, identifiers as the tokens the mask step wrote. So:
 *
 * - the role's treatment is `drop`: the column is left out; `redact`: a fixed marker;
 * - `plaintext`: the stored value (for a public column that is the value; for SYSTEM on an identifier it is still the
 *   token: plaintext only comes from a reveal, through the key service);
 * - an identifier whose treatment is its storage treatment (the token the role is meant to see): the stored value;
 * - anything else (an override asking for a form the API cannot produce without a key, such as a partial mask of a
 *   column stored in plaintext): left out, never shown in a weaker form.
 *
 * The policy throws for an unknown role, dataset or column: nothing is shown when it cannot decide.
 */
export class ResponseShaper {
  readonly #policy: MaskingPolicy;
  readonly #views = new Map<string, DatasetView>();

  constructor(policy: MaskingPolicy) {
    this.#policy = policy;
  }

  /** The compiled view of a dataset for a role (cached). */
  view(role: string, dataset: string): DatasetView {
    const key = `${role}\u0000${dataset}`;
    let view = this.#views.get(key);
    if (!view) {
      view = compileView(this.#policy, role, dataset);
      this.#views.set(key, view);
    }
    return view;
  }

  /** True when `role` may see `dataset.column` in some form. */
  visible(role: string, dataset: string, column: string): boolean {
    return this.view(role, dataset).visible(column);
  }

  /** True when the role's treatment of the column is plaintext: SYSTEM for identifiers, which only a reveal gives. */
  plaintextFor(role: string, dataset: string, column: string): boolean {
    return this.#policy.treatmentFor(role, dataset, column).method === 'plaintext';
  }

  /** One column's value as `role` sees it; `undefined` when the role may not see it. */
  value(role: string, dataset: string, column: string, stored: Value): Value | undefined {
    return this.view(role, dataset).value(column, stored);
  }

  /** Many columns of one dataset; columns the role may not see are left out. */
  columns(role: string, dataset: string, stored: Readonly<Record<string, Value>>): Record<string, Value> {
    return this.view(role, dataset).columns(stored);
  }
}

function compileView(policy: MaskingPolicy, role: string, dataset: string): DatasetView {
  const rules = new Map<string, Rule>();
  for (const { column, treatment } of policy.viewOf(role, dataset)) {
    const rule = ruleFor(treatment, column.classification === 'public', policy.storageTreatmentFor(dataset, column.name));
    if (rule) rules.set(column.name, rule);
  }
  const ordered = [...rules.entries()];
  return {
    visible: (column) => rules.has(column),
    value: (column, stored) => {
      const rule = rules.get(column);
      return rule === undefined ? undefined : rule === 'redact' ? REDACTED_VALUE : stored;
    },
    columns: (stored) => {
      const shaped: Record<string, Value> = {};
      for (const [column, rule] of ordered) {
        const value = stored[column];
        if (value !== undefined) shaped[column] = rule === 'redact' ? REDACTED_VALUE : value;
      }
      return shaped;
    },
  };
}

function ruleFor(treatment: Treatment, isPublic: boolean, stored: Treatment): Rule | undefined {
  if (treatment.method === 'drop') return undefined;
  if (treatment.method === 'redact') return 'redact';
  if (treatment.method === 'plaintext') return 'stored';
  if (!isPublic && sameTreatment(treatment, stored)) return 'stored';
  return undefined;
}

function sameTreatment(a: Treatment, b: Treatment): boolean {
  return a.method === b.method && JSON.stringify(a.params, Object.keys(a.params).sort()) === JSON.stringify(b.params, Object.keys(b.params).sort());
}
