import { z } from 'zod';

const limitsObject = z
  .object({
    /** The longest field. */
    maxFieldChars: z.number().int().positive(),
    /** The longest record: its fields and the commas between them, line break excluded. */
    maxRecordChars: z.number().int().positive(),
  })
  .strict();

/**
 * How long a landing CSV field and record may be, in characters of decoded text (UTF-16 code units, so a limit means
 * the same whatever the file's encoding). A field or record past its limit makes the batch `MALFORMED_CSV`: it is
 * quarantined whole, and the reader never holds more than one limit's worth of it.
 */
export const LandingCsvLimitsSchema = limitsObject.refine((limits) => limits.maxFieldChars <= limits.maxRecordChars, {
  message: 'maxFieldChars must not exceed maxRecordChars',
  path: ['maxFieldChars'],
});

/** Field and record length limits of landing CSV files (see {@link LandingCsvLimitsSchema}). */
export type LandingCsvLimits = z.infer<typeof LandingCsvLimitsSchema>;

/** What a dataset may declare as `landingLimits`: either limit, or both, over the landing contract's defaults. */
export const LandingCsvLimitsOverrideSchema = limitsObject.partial();

/**
 * The landing contract's limits, for every dataset that does not declare its own `landingLimits`. The longest real
 * value in today's datasets is a postal address or a merchant name (well under 200 characters), so 4,096 characters
 * per field is generous; 65,536 per record bounds a line of many fields (or of nothing but commas).
 */
export const DEFAULT_LANDING_CSV_LIMITS: LandingCsvLimits = Object.freeze({ maxFieldChars: 4096, maxRecordChars: 65_536 });

/**
 * A dataset's landing CSV limits: its own `landingLimits` over {@link DEFAULT_LANDING_CSV_LIMITS}.
 *
 * @throws ZodError when the result has a field limit above the record limit
 * @example
 * landingCsvLimitsFor(getDataset('customer_profile')); // { maxFieldChars: 4096, maxRecordChars: 65536 }
 */
export function landingCsvLimitsFor(dataset: { readonly landingLimits?: Partial<LandingCsvLimits> | undefined }): LandingCsvLimits {
  return LandingCsvLimitsSchema.parse({ ...DEFAULT_LANDING_CSV_LIMITS, ...dataset.landingLimits });
}
