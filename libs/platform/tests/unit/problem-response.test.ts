import { describe, expect, it } from 'vitest';
import { AccessDeniedError, AdapterError, NotImplementedError, ValidationError, toProblemResponse } from '../../src/index';

describe('toProblemResponse', () => {
  it.each([
    [new ValidationError('bad token format'), 400, 'VALIDATION_FAILED'],
    [new AccessDeniedError('role AP may not detokenize'), 403, 'ACCESS_DENIED'],
    [new NotImplementedError('tag retrieval'), 501, 'NOT_IMPLEMENTED'],
  ])('maps %o to its status and code', (error, status, code) => {
    const response = toProblemResponse(error);
    expect(response.statusCode).toBe(status);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({ status, code, type: `urn:cur:problem:${code.toLowerCase()}`, detail: error.message });
  });

  it('hides the message of internal and unknown errors', () => {
    for (const error of [new AdapterError('DynamoDB get on table serving failed'), new Error('stack trace with secrets')]) {
      const body = JSON.parse(toProblemResponse(error).body ?? '{}') as Record<string, unknown>;
      expect(body['status']).toBe(500);
      expect(body['detail']).toBe('internal error; see the service log');
    }
  });
});
