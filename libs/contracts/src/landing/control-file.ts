import { z } from 'zod';

/** Encodings an on-premises extract may arrive in. Big5 means the MS950 (CP950) superset used by Taiwanese banks. */
export const LANDING_ENCODINGS = ['utf-8', 'big5'] as const;

/** One landing encoding. */
export type LandingEncoding = (typeof LANDING_ENCODINGS)[number];

const isoDate = z.iso.date();

/**
 * The control file dropped beside each data file (PRODUCT.md §5). It is the batch's manifest: the ingestion
 * controller trusts nothing about the data file that the control file does not vouch for.
 */
export const ControlFileSchema = z
  .object({
    dataset: z.string().regex(/^[a-z][a-z0-9_]*$/),
    businessDate: isoDate,
    file: z.string().regex(/^[a-z][a-z0-9_]*_\d{8}\.csv(\.gz)?$/, 'must be <dataset>_<YYYYMMDD>.csv or .csv.gz'),
    rowCount: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits'),
    encoding: z.enum(LANDING_ENCODINGS),
    schemaVersion: z.number().int().positive(),
  })
  .strict()
  .superRefine((control, ctx) => {
    const expectedStem = `${control.dataset}_${control.businessDate.replaceAll('-', '')}.csv`;
    if (control.file !== expectedStem && control.file !== `${expectedStem}.gz`) {
      ctx.addIssue({ code: 'custom', path: ['file'], message: `must be ${expectedStem} or ${expectedStem}.gz for this dataset and business date` });
    }
  });

/** A parsed control file. */
export type ControlFile = z.infer<typeof ControlFileSchema>;

/**
 * The largest control file ingestion reads, in bytes. A real one is about 250 bytes; the bound keeps a huge file
 * sent as a control file from being read into memory whole.
 */
export const MAX_CONTROL_FILE_BYTES = 64 * 1024;

/** The parts of a landing file name. */
export interface LandingFileName {
  readonly dataset: string;
  /** ISO date, e.g. 2026-11-25 */
  readonly businessDate: string;
  readonly kind: 'data' | 'control';
  readonly compressed: boolean;
}

const LANDING_FILE = /^(?<dataset>[a-z][a-z0-9_]*)_(?<y>\d{4})(?<m>\d{2})(?<d>\d{2})\.(?<ext>csv|csv\.gz|ctl)$/;

/**
 * Splits a landing file name (`customer_profile_20261125.csv`, `.csv.gz` or `.ctl`) into its parts.
 *
 * @returns the parts, or `undefined` when the name does not follow the landing contract
 */
export function parseLandingFileName(fileName: string): LandingFileName | undefined {
  const match = LANDING_FILE.exec(fileName);
  if (!match?.groups) return undefined;
  const { dataset = '', y, m, d, ext } = match.groups;
  const businessDate = `${y}-${m}-${d}`;
  if (!isoDate.safeParse(businessDate).success) return undefined;
  return { dataset, businessDate, kind: ext === 'ctl' ? 'control' : 'data', compressed: ext === 'csv.gz' };
}

/** The control file name for a dataset and ISO business date. */
export function controlFileName(dataset: string, businessDate: string): string {
  return `${dataset}_${businessDate.replaceAll('-', '')}.ctl`;
}

/** The data file name for a dataset and ISO business date. */
export function dataFileName(dataset: string, businessDate: string, compressed = false): string {
  return `${dataset}_${businessDate.replaceAll('-', '')}.csv${compressed ? '.gz' : ''}`;
}
