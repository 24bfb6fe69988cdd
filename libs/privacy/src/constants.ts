/**
 * The smallest equivalence class a human view may have: every combination of quasi-identifier values a role can see
 * must be shared by at least this many customers. 5 is the usual floor of statistical disclosure control (tables
 * suppress cells under 5) and of k-anonymity practice; a stricter bank can raise it (11 is the US CMS small-cell
 * rule). A class of k customers means someone who knows a customer's quasi-identifiers from elsewhere is left with k
 * candidates, so at most a 1-in-k guess of which token, AUM or tags are theirs.
 */
export const DEFAULT_K_THRESHOLD = 5;

/** The largest threshold accepted: beyond it a check says nothing a smaller one would not. @internal */
export const MAX_K_THRESHOLD = 1000;
