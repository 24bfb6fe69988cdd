import { parseLandingFileName } from '@cur/contracts';
import { ValidationError } from '@cur/platform';

/** Where pushed files wait in the landing bucket. */
export const INCOMING_PREFIX = 'incoming/';

/**
 * The landing key of a file: `incoming/<dataset>/<file name>`.
 *
 * @throws ValidationError when the name does not follow the landing contract
 */
export function landingKey(fileName: string): string {
  const parsed = parseLandingFileName(fileName);
  if (!parsed) throw new ValidationError(`'${fileName}' is not a landing file name (<dataset>_<YYYYMMDD>.csv, .csv.gz or .ctl)`);
  return `${INCOMING_PREFIX}${parsed.dataset}/${fileName}`;
}

/** The file name at the end of a key. */
export function fileNameOf(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

/** The quarantine prefix of one rejected attempt: `<reason>/<dataset>/<business date>/<attempt id>/`. */
export function quarantinePrefix(reason: string, dataset: string, businessDate: string, attemptId: string): string {
  return `${reason}/${dataset}/${businessDate}/${attemptId}/`;
}
