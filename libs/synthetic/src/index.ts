export { generateLandingBatches } from './generate-landing-batches';
export { GenerateOptionsSchema, parseGenerateOptions } from './generate-options';
export type { GenerateOptions, GenerateOptionsInput } from './generate-options';
export type { GenerateSummary, GeneratedBatch, GenerateProgressEvent, GenerateProgressListener } from './types/generate-summary';
export type { LandingSink } from './ports/landing-sink';
export { writeToDirectory } from './sinks/directory-sink';
export { DIRTY_ROW_KINDS, DIRTY_ROW_KIND_NAMES, dirtyRowKindsFor } from './dirty-rows/dirty-row-kinds';
export type { DirtyRowKind, DirtyRowRecord } from './dirty-rows/dirty-row-kinds';
export { SYNTHETIC_ERROR_CODES, SyntheticError, SyntheticOptionsError, SyntheticSinkError } from './errors';
export type { SyntheticErrorCode } from './errors';
export { NATIONAL_ID_LETTER_CODES, isValidNationalId, nationalIdCheckDigit } from './taiwan/national-id';
export { rocDate, ROC_YEAR_OFFSET } from './taiwan/calendar';
export type { CivilDate } from './taiwan/calendar';
export { toFullWidth } from './taiwan/text-forms';
export { csvField } from './csv/csv-row';
export {
  DEFAULT_CUSTOMERS,
  DEFAULT_DAYS,
  DEFAULT_SEED,
  DEFAULT_START_DATE,
  DEFAULT_DIRTY_RATE,
  DEFAULT_BIG5_DATASETS,
  DEFAULT_GZIP_DATASETS,
  MAX_CUSTOMERS,
  MAX_DAYS,
  CSV_LINE_END,
} from './constants';
