export { MASKING_ERROR_CODES, MaskingError } from './masking-error';
export { KeyRing, DATA_KEY_BYTES, DEFAULT_ACTIVE_VERSION_TTL_MS } from './keys/key-ring';
export type { KeyRingOptions, KeyVersionInfo, DataKey } from './keys/key-ring';
export { deriveMethodKey, METHOD_KEY_BYTES } from './keys/derive-method-key';
export type { KeyedMethod } from './keys/derive-method-key';
