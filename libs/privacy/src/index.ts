export { DEFAULT_K_THRESHOLD } from './constants';
export { PRIVACY_ERROR_CODES, KAnonymityBelowThresholdError } from './privacy-error';
export { quasiIdentifierViews, kAnonymityScopes } from './quasi-identifier-views';
export type { QuasiIdentifierView, KAnonymityScope } from './quasi-identifier-views';
export { kAnonymitySql } from './k-anonymity-sql';
export type { KAnonymitySqlOptions } from './k-anonymity-sql';
export { checkKAnonymity } from './check-k-anonymity';
export type { CheckKAnonymityOptions, KAnonymityTarget } from './check-k-anonymity';
export type { KAnonymityResult } from './types/k-anonymity-result';
