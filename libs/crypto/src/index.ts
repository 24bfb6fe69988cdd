export { CRYPTO_ERROR_CODES, CryptoError } from './crypto-error';
export type { CryptoErrorCode } from './crypto-error';
export { FF1_ALPHABETS, createFf1 } from './ff1';
export type { Ff1Cipher } from './types/ff1-cipher';
export { AES_SIV_MAX_ASSOCIATED_DATA, createAesSiv } from './aes-siv';
export type { AesSivCipher } from './types/aes-siv-cipher';
export { createAesGcmSiv } from './aes-gcm-siv';
export type { AesGcmSivCipher } from './types/aes-gcm-siv-cipher';
export { HMAC_TOKEN_DEFAULT_BYTES, HMAC_TOKEN_MIN_KEY_BYTES, createHmacTokenizer, hmacToken } from './hmac-token';
export type { HmacTokenOptions, HmacTokenizer } from './types/hmac-tokenizer';
export { BASE64URL_ALPHABET, encodeBase64Url, decodeBase64Url } from './base64url';
export {
  NATIONAL_ID_LETTER_CODES,
  NATIONAL_ID_CLASS_DIGITS,
  NATIONAL_ID_PATTERN,
  isValidNationalId,
  nationalIdCheckDigit,
} from './national-id';
export { NATIONAL_ID_DOMAIN, NATIONAL_ID_RADIX, createNationalIdFpe } from './national-id-fpe';
export type { NationalIdFpe } from './types/national-id-fpe';
