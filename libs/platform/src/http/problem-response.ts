import type { ApiGatewayV2Response } from '@cur/contracts';
import { ERROR_CODES, isCurError } from '../errors/cur-error';

/** An RFC 9457 problem document. */
export interface Problem {
  /** A stable URI reference for the problem type; `urn:cur:problem:<code>`. */
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  /** The stable error code clients switch on. */
  readonly code: string;
}

/** HTTP status per platform error code; anything unknown is a 500. */
export const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  [ERROR_CODES.VALIDATION_FAILED]: 400,
  [ERROR_CODES.ACCESS_DENIED]: 403,
  [ERROR_CODES.NOT_FOUND]: 404,
  [ERROR_CODES.CONDITION_FAILED]: 409,
  [ERROR_CODES.NOT_IMPLEMENTED]: 501,
};

/**
 * Builds an `application/problem+json` response.
 *
 * @example
 * return problemResponse(400, 'VALIDATION_FAILED', 'Invalid request', 'batchGet takes at most 100 tokens');
 */
export function problemResponse(status: number, code: string, title: string, detail?: string): ApiGatewayV2Response {
  const problem: Problem = { type: `urn:cur:problem:${code.toLowerCase()}`, title, status, code, ...(detail === undefined ? {} : { detail }) };
  return { statusCode: status, headers: { 'content-type': 'application/problem+json' }, body: JSON.stringify(problem) };
}

/**
 * Maps any thrown value to a problem response. Platform errors keep their code and message (messages never carry
 * sensitive values); anything else becomes a generic 500 so internals do not leak to callers.
 *
 * @param statusByCode - statuses for a service's own codes, e.g. `{ POLICY_DENIED: 403 }`
 */
export function toProblemResponse(error: unknown, statusByCode: Readonly<Record<string, number>> = {}): ApiGatewayV2Response {
  if (isCurError(error)) {
    const status = statusByCode[error.code] ?? STATUS_BY_CODE[error.code] ?? 500;
    return problemResponse(status, error.code, error.name, status === 500 ? 'internal error; see the service log' : error.message);
  }
  return problemResponse(500, 'INTERNAL', 'Internal error', 'internal error; see the service log');
}
