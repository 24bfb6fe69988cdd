import { NotImplementedError } from '@cur/platform';

/** What the use case receives, already validated by the handler. */
export type IngestionControllerInput =
  | { readonly kind: 'object-created'; readonly bucket: string; readonly key: string }
  | { readonly kind: 'scheduled-sweep'; readonly scheduledAt: string };

/**
 * The service's use case: pure logic over ports, no AWS types. It says plainly that it does not exist yet rather
 * than pretending; the issue that delivers it replaces this body.
 */
export function ingestionController(_input: IngestionControllerInput): never {
  throw new NotImplementedError('ingestion-controller');
}
