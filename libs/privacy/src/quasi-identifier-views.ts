import type { DatasetSpec, HumanRole, Zone } from '@cur/contracts';
import { ALL_DATASETS, HUMAN_READABLE_ZONES, HUMAN_ROLES } from '@cur/contracts';
import type { MaskingPolicy, Treatment } from '@cur/policy';

/** Treatments under which a column tells no one apart: it is not shown, or every value is the same marker. */
const INDISTINCT: ReadonlySet<Treatment['method']> = new Set(['drop', 'redact']);

/** The quasi-identifiers some human roles see of a dataset: roles with the same view share one entry. */
export interface QuasiIdentifierView {
  readonly roles: readonly HumanRole[];
  /** The columns, in the dataset's declared quasi-identifier order. */
  readonly columns: readonly string[];
}

/**
 * The quasi-identifier columns each human role sees of a dataset, from the policy's `viewOf`: the dataset's declared
 * quasi-identifiers the role is shown (generalised, tokenized or plaintext, as stored), without those it is not shown
 * or sees redacted. Roles with the same columns are grouped, so each distinct view is measured once.
 *
 * @param roles - the roles to consider. @default every human role
 * @returns one entry per distinct view; none when the dataset declares no quasi-identifiers
 * @example
 * quasiIdentifierViews(createMaskingPolicy(), getDataset('customer_features'));
 * // [{ roles: ['DE', 'DA', 'DS', 'DM', 'AP'], columns: ['age_band', 'gender', 'branch_code', 'tenure_months'] }]
 */
export function quasiIdentifierViews(policy: MaskingPolicy, dataset: DatasetSpec, roles: readonly HumanRole[] = HUMAN_ROLES): QuasiIdentifierView[] {
  if (dataset.quasiIdentifiers.length === 0) return [];
  const views = new Map<string, { roles: HumanRole[]; columns: string[] }>();
  for (const role of roles) {
    const shown = new Set(policy.viewOf(role, dataset.name).filter(({ treatment }) => !INDISTINCT.has(treatment.method)).map(({ column }) => column.name));
    const columns = dataset.quasiIdentifiers.filter((name) => shown.has(name));
    const key = columns.join(',');
    const view = views.get(key) ?? { roles: [], columns };
    view.roles.push(role);
    views.set(key, view);
  }
  return [...views.values()];
}

/** A dataset and zone whose human view the k-anonymity check measures. */
export interface KAnonymityScope {
  readonly dataset: DatasetSpec;
  readonly zone: Zone;
}

/**
 * Every dataset that declares quasi-identifiers, in each zone a human role can read it (never landing), in catalog
 * order: what `cur privacy check` measures.
 *
 * @example
 * kAnonymityScopes().map(({ dataset, zone }) => `${dataset.name}/${zone}`);
 * // ['customer_profile/raw', 'customer_profile/transformed', 'customer_features/consumption']
 */
export function kAnonymityScopes(): KAnonymityScope[] {
  return Object.values(ALL_DATASETS).filter((dataset) => dataset.quasiIdentifiers.length > 0).flatMap((dataset) =>
    dataset.zones.filter((zone) => HUMAN_READABLE_ZONES.includes(zone)).map((zone) => ({ dataset, zone })),
  );
}
