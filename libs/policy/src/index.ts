export { MASK_METHODS, REVERSIBLE_METHODS, FF1_FORMATS, TreatmentSchema } from './treatment';
export type { MaskMethod, Treatment } from './treatment';
export { POLICY_ERROR_CODES, PolicyDeniedError, PolicyInvalidError } from './policy-error';
export { defaultHumanTreatment } from './default-treatment';
export { PolicyOverrideFileSchema, parsePolicyOverrides } from './policy-overrides';
export type { PolicyOverrides } from './policy-overrides';
export { createMaskingPolicy } from './masking-policy';
export type { MaskingPolicy } from './masking-policy';
export { storedTypeOf } from './stored-type';
