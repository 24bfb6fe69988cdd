import { SENSITIVE_COLUMN_NAMES } from '@cur/contracts';
import { CHINESE_PERSONAL_DATA_PATTERNS } from './chinese-personal-data';

/** What a redacted value is replaced with. */
export const REDACTED = '[REDACTED]';

/**
 * Log attribute keys whose values are printed. Any other key's value is replaced by {@link REDACTED}: a log line
 * carries identifiers of things (dataset, step, object key, counts), never data. Add a key here only if no value
 * under it can ever be personal data.
 */
export const LOGGABLE_KEYS: ReadonlySet<string> = new Set([
  'attempt',
  'batchId',
  'bucket',
  'businessDate',
  'code',
  'column',
  'columns',
  'count',
  'dataset',
  'details',
  'durationMs',
  'error',
  'errorCode',
  'keyVersion',
  'manifestKey',
  'metrics',
  'mode',
  'objectKey',
  'operation',
  'reasonCode',
  'requestId',
  'role',
  'routeKey',
  'rowCount',
  'rowsIn',
  'rowsOut',
  'rowsRejected',
  'runId',
  'stage',
  'status',
  'statusCode',
  'step',
  'table',
  'topic',
  'zone',
]);

/**
 * Patterns of personal data that may hide inside free text (an error message quoting its input, say). They are a
 * backstop behind the key allow-list, not a substitute for it: a Chinese name can only be guessed at (a short Han run
 * starting with a common surname) and an ISO birth date cannot be told from other dates, which is why values are only
 * ever logged under allow-listed keys. Chinese addresses and names go first: an address holds digits the others take.
 */
const PERSONAL_DATA_PATTERNS: readonly RegExp[] = [
  ...CHINESE_PERSONAL_DATA_PATTERNS, // Taiwanese addresses, then Chinese personal names (chinese-personal-data.ts)
  /\b[A-Z][12489]\d{8}\b/g, // Taiwanese national ID / resident certificate number
  /\b09\d{2}-?\d{3}-?\d{3}\b/g, // Taiwanese mobile number
  /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, // e-mail address
  /\b\d{4}[ -]\d{4}[ -]\d{4}[ -]\d{1,7}\b/g, // card number with separators
  /\d{10,}/g, // account, card and phone numbers written as one digit run
  /\b\d{1,3}(?:\.\d{1,3}){3}\b/g, // IPv4 address
  /\b0\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\b/g, // ROC-calendar date YYYMMDD (birth dates in extracts)
];

/** Replaces anything that looks like personal data in free text. */
export function scrubText(text: string): string {
  let scrubbed = text;
  for (const pattern of PERSONAL_DATA_PATTERNS) scrubbed = scrubbed.replace(pattern, REDACTED);
  return scrubbed;
}

/**
 * The identifiers Powertools puts on a line from the Lambda context and X-Ray, each kept only in its exact format:
 * the scrubber would take an ARN's account ID or a request ID's last group for an account number. A value of one of
 * these shapes holds nothing but AWS's own identifiers.
 */
const LAMBDA_IDENTIFIER_FORMATS: Readonly<Record<string, RegExp>> = {
  function_request_id: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  function_arn: /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(?::[A-Za-z0-9$_-]{1,128})?$/,
  xray_trace_id: /^1-[0-9a-f]{8}-[0-9a-f]{24}$/,
};

/**
 * A `JSON.stringify` replacer that redacts every value under a sensitive column name, at any depth, and scrubs
 * every string. The logger installs it so that nothing reaches stdout without passing through it.
 */
export function redactingReplacer(key: string, value: unknown): unknown {
  if (key !== '' && SENSITIVE_COLUMN_NAMES.has(key)) return REDACTED;
  if (typeof value === 'string' && LAMBDA_IDENTIFIER_FORMATS[key]?.test(value)) return value;
  if (typeof value === 'string') return scrubText(value);
  return value;
}

/**
 * Keeps the values of allow-listed top-level keys and redacts the rest. Nested values are left to
 * {@link redactingReplacer}, which still redacts sensitive column names and scrubs text inside them.
 */
export function redactAttributes(attributes: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const redacted: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attributes)) {
    redacted[key] = LOGGABLE_KEYS.has(key) && !SENSITIVE_COLUMN_NAMES.has(key) ? value : REDACTED;
  }
  return redacted;
}
