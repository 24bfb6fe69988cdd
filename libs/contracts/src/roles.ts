/**
 * Who acts on the platform. Five human roles see masked data only; SYSTEM is the platform's own service account
 * and the only one that may see plaintext or detokenize.
 */
export const ROLES = ['DE', 'DA', 'DS', 'DM', 'AP', 'SYSTEM'] as const;

/** One role. */
export type Role = (typeof ROLES)[number];

/** The roles a person can hold; none of them ever sees plaintext personal data. */
export const HUMAN_ROLES = ['DE', 'DA', 'DS', 'DM', 'AP'] as const satisfies readonly Role[];

/** A human role. */
export type HumanRole = (typeof HUMAN_ROLES)[number];

/** What each role is, for help texts and docs. */
export const ROLE_DESCRIPTIONS: Readonly<Record<Role, string>> = {
  DE: 'data engineer: builds and runs ingestion and ETL',
  DA: 'data analyst: metrics and trends in the data mart',
  DS: 'data scientist: cleaning, features, models',
  DM: 'data manager: storage layout, catalog, lineage, permissions',
  AP: 'application developer: tags and metrics through the API',
  SYSTEM: "the platform's service account: masking and audited detokenization",
};

/** True when `value` names a role; the check used at every boundary that receives a role. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
