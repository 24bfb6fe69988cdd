import { NotImplementedError } from '@cur/platform';

/** What the use case receives, already validated by the handler. */
export interface MaskingKeyServiceInput {
  readonly routeKey: string;
  readonly role: string | undefined;
}

/**
 * The service's use case: pure logic over ports, no AWS types. It says plainly that it does not exist yet rather
 * than pretending; the issue that delivers it replaces this body.
 */
export function maskingKeyService(_input: MaskingKeyServiceInput): never {
  throw new NotImplementedError('masking-key-service');
}
