import type { z } from 'zod';
import type { ApiGatewayV2Request } from '@cur/contracts';
import { scrubText } from '@cur/platform';
import { MAX_BODY_BYTES } from '../constants';
import type { KeyServiceCaller } from '../ports/key-service-caller';
import { ServingError, type ServingErrorCode } from '../serving-error';

/**
 * The request path the routes are matched against: API Gateway's `rawPath` without the stage prefix (present on
 * named stages), each segment percent-decoded (`%3A` in `customers%3AbatchGet`).
 *
 * @throws ServingError `ROUTE_NOT_FOUND` for a path that does not decode, or hides a `/` in a segment
 */
export function requestPath(request: ApiGatewayV2Request): string {
  const path = routePath(request.rawPath, request.requestContext.stage);
  if (path === undefined) throw new ServingError('ROUTE_NOT_FOUND', 'no route has this path');
  return path;
}

/**
 * {@link requestPath} of a raw path on a stage.
 *
 * @returns undefined for a path that does not decode, or hides a `/` in a segment
 */
export function routePath(rawPath: string, stage: string): string | undefined {
  let raw = rawPath;
  if (stage !== '$default' && (raw === `/${stage}` || raw.startsWith(`/${stage}/`))) raw = raw.slice(stage.length + 1) || '/';
  const segments = raw.replace(/\/+$/, '').split('/');
  try {
    const decoded = segments.map((segment) => decodeURIComponent(segment));
    return decoded.some((segment) => segment.includes('/')) ? undefined : decoded.join('/') || '/';
  } catch {
    return undefined;
  }
}

/** Who is calling, as API Gateway's JWT authorizer (or `cur serve`'s) established it. */
export interface Identity extends KeyServiceCaller {
  readonly role: string;
}

/**
 * The caller from the authorizer's claims: `sub` and the `cur:role` claim, plus the bearer token to forward to the
 * key service.
 *
 * @throws ServingError `UNAUTHENTICATED` when there are no claims or no role claim
 */
export function identityOf(request: ApiGatewayV2Request): Identity {
  const claims = request.requestContext.authorizer?.jwt.claims;
  const role = claims?.['cur:role'];
  if (typeof role !== 'string' || role === '') {
    throw new ServingError('UNAUTHENTICATED', 'the request carries no verified identity with a cur:role claim; send a bearer token');
  }
  const sub = claims?.['sub'];
  const authorization = request.headers['authorization'] ?? request.headers['Authorization'];
  const bearer = authorization === undefined ? undefined : /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
  return { principal: typeof sub === 'string' && sub !== '' ? sub : 'unknown', role, ...(bearer ? { bearerToken: bearer } : {}) };
}

/** The query string as an object; a parameter given twice is refused rather than guessed at. */
export function queryOf(request: ApiGatewayV2Request): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(request.rawQueryString)) {
    if (name in query) throw new ServingError('INVALID_REQUEST', `query parameter '${safe(name)}' is given more than once`);
    query[name] = value;
  }
  return query;
}

/**
 * Parses a JSON body with a schema.
 *
 * @throws ServingError `PAYLOAD_TOO_LARGE`, or a validation code from {@link validate}
 */
export function parseBody<T extends z.ZodType>(request: ApiGatewayV2Request, schema: T): z.infer<T> {
  const raw = request.body ?? '';
  const bytes = request.isBase64Encoded ? Math.floor((raw.length * 3) / 4) : Buffer.byteLength(raw);
  if (bytes > MAX_BODY_BYTES) throw new ServingError('PAYLOAD_TOO_LARGE', `the request body is larger than ${MAX_BODY_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(request.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw);
  } catch {
    throw new ServingError('INVALID_REQUEST', 'the request body must be a JSON object');
  }
  return validate(schema, json, 'body');
}

/**
 * Validates input with a schema. The error names each field and rule, never a value, and never an unknown field's
 * name either (a caller could put anything there).
 *
 * @throws ServingError `INVALID_TOKEN`, `INVALID_NATIONAL_ID`, `BATCH_TOO_LARGE` or `INVALID_REQUEST`
 */
export function validate<T extends z.ZodType>(schema: T, input: unknown, where: 'path' | 'query' | 'body'): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  const describe = issues.map((issue) => {
    const field = issue.path.map(String).join('.') || where;
    const message = issue.code === 'unrecognized_keys' ? `${issue.keys.length} unknown field(s)` : issue.message;
    return `${where} ${safe(field)}: ${safe(message)}`;
  });
  throw new ServingError(codeOf(issues), `invalid request: ${describe.join('; ')}`);
}

function codeOf(issues: readonly z.ZodError['issues'][number][]): ServingErrorCode {
  if (issues.some((issue) => issue.path[0] === 'tokens' && issue.path.length === 1 && issue.code === 'too_big')) return 'BATCH_TOO_LARGE';
  if (issues.some((issue) => issue.path[0] === 'nationalId')) return 'INVALID_NATIONAL_ID';
  if (issues.some((issue) => issue.path[0] === 'token' || (issue.path[0] === 'tokens' && issue.path.length === 2))) return 'INVALID_TOKEN';
  return 'INVALID_REQUEST';
}

/** Field names and messages pass the logger's scrubber too: whatever a caller typed, no ID-shaped text comes back. */
function safe(text: string): string {
  return scrubText(text).slice(0, 200);
}
