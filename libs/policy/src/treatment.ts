import { z } from 'zod';
import { GENERALISERS } from '@cur/contracts';

/**
 * How a value is shown or stored. `plaintext` and `drop` need no key; the token methods are deterministic, so the
 * same input gives the same token and joins and counts still work.
 *
 * - `ff1`: format-preserving encryption (NIST SP 800-38G); `params.format` is `national_id`, `mobile` or `digits`
 * - `daead`: deterministic authenticated encryption (AES-SIV), a compact URL-safe token with the key version
 * - `hmac`: keyed, irreversible token
 * - `partial`: keeps `params.keepLast` characters and masks the rest; only by override, since it keeps plaintext
 * - `generalize`: `params.generaliser` (birth_year, age_band, city_district, year_month)
 * - `redact`: a fixed marker instead of the value
 * - `plugin`: the bank's own encryption program, `params.plugin` names it
 * - `drop`: the column is not shown at all
 */
export const MASK_METHODS = ['plaintext', 'ff1', 'daead', 'hmac', 'partial', 'generalize', 'redact', 'plugin', 'drop'] as const;

/** One masking method. */
export type MaskMethod = (typeof MASK_METHODS)[number];

/** Methods that can be reversed by SYSTEM with the key (detokenize). */
export const REVERSIBLE_METHODS: ReadonlySet<MaskMethod> = new Set(['ff1', 'daead', 'plugin']);

/** Formats FF1 preserves. */
export const FF1_FORMATS = ['national_id', 'mobile', 'digits'] as const;

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** A treatment: a method and its parameters. */
export const TreatmentSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('plaintext'), params: z.object({}).strict() }),
  z.object({ method: z.literal('ff1'), params: z.object({ format: z.enum(FF1_FORMATS) }).strict() }),
  z.object({ method: z.literal('daead'), params: z.object({}).strict() }),
  z.object({ method: z.literal('hmac'), params: z.object({}).strict() }),
  z.object({ method: z.literal('partial'), params: z.object({ keepLast: z.number().int().min(1).max(8), maskChar: z.string().length(1).default('*') }).strict() }),
  z.object({ method: z.literal('generalize'), params: z.object({ generaliser: z.enum(GENERALISERS) }).strict() }),
  z.object({ method: z.literal('redact'), params: z.object({}).strict() }),
  z.object({ method: z.literal('plugin'), params: z.object({ plugin: z.string().regex(/^[a-z][a-z0-9-]*$/) }).catchall(scalar) }),
  z.object({ method: z.literal('drop'), params: z.object({}).strict() }),
]);

/** A treatment. */
export type Treatment = z.infer<typeof TreatmentSchema>;
