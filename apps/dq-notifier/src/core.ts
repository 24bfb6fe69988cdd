import { NotImplementedError } from '@cur/platform';

/** What the use case receives, already validated by the handler. */
export interface DqNotifierInput {
  readonly source: string;
  readonly detailType: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/**
 * The service's use case: pure logic over ports, no AWS types. It says plainly that it does not exist yet rather
 * than pretending; the issue that delivers it replaces this body.
 */
export function dqNotifier(_input: DqNotifierInput): never {
  throw new NotImplementedError('dq-notifier');
}
