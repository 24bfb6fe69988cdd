import { z } from 'zod';
import { MAX_BATCH_VALUES } from '../service/token-service';

const column = { dataset: z.string().min(1).max(64), column: z.string().min(1).max(64) };

/**
 * `POST /v1/tokenize`: plaintext values of a column in, the tokens the pipeline writes out; under the active key
 * version unless `keyVersion` names an older one (the tokens of partitions masked before a rotation). SYSTEM only,
 * audited: anyone else could reverse tokens by tokenizing every candidate value.
 */
export const TokenizeBodySchema = z
  .object({ ...column, values: z.array(z.string().nullable()).min(1).max(MAX_BATCH_VALUES), keyVersion: z.number().int().positive().optional() })
  .strict();

/**
 * `POST /v1/lookup`: one national ID in, the customer token the pipeline writes for it out (AP and SYSTEM, audited,
 * rate-limited per principal); under the served tokens' `keyVersion` when given.
 */
export const LookupBodySchema = z.object({ nationalId: z.string().min(1).max(32), keyVersion: z.number().int().positive().optional() }).strict();

/** `POST /v1/detokenize`: tokens of a column in, plaintext out; SYSTEM only, audited. */
export const DetokenizeBodySchema = z
  .object({ ...column, tokens: z.array(z.string().nullable()).min(1).max(MAX_BATCH_VALUES), keyVersion: z.number().int().positive().optional() })
  .strict();

/** The routes this service answers, as API Gateway route keys. */
export const ROUTES = {
  tokenize: 'POST /v1/tokenize',
  lookup: 'POST /v1/lookup',
  detokenize: 'POST /v1/detokenize',
  listKeys: 'GET /v1/keys',
  rotateKey: 'POST /v1/keys/{keyGroup}/rotate',
} as const;
