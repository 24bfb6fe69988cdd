import { CancelledError } from '@cur/platform';
import type { Output } from '../output/console-output';
import { exitCodeOfSignal, type ExitCode } from './exit-codes';

/** The signals a long command stops on. */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/**
 * Ctrl-C and SIGTERM as a command sees them. The first one aborts {@link signal} (its reason a `CancelledError`):
 * long commands stop at their next safe point, release what they hold, and say how to resume. A second one exits
 * at once.
 */
export interface Interrupts {
  /**
   * Aborted on the first SIGINT or SIGTERM. Reading it starts listening: commands that never read it (`cur status`,
   * `cur query`) keep Node's default, stopping at once.
   */
  readonly signal: AbortSignal;
  /** 130 after SIGINT, 143 after SIGTERM; `undefined` while none has arrived. */
  readonly exitCode: ExitCode | undefined;
  /** Stops listening. */
  dispose(): void;
}

/** The part of `process` {@link processInterrupts} uses. */
export type SignalSource = Pick<NodeJS.Process, 'on' | 'off' | 'exit'>;

/**
 * The process's own SIGINT and SIGTERM. The second signal exits at once with its code, without waiting for a safe
 * point: a serving load lease held then expires by itself.
 */
export function processInterrupts(output: Output, source: SignalSource = process): Interrupts {
  const controller = new AbortController();
  let received: StopSignal | undefined;
  let listening = false;
  const onSignal = (signal: StopSignal): void => {
    if (received !== undefined) {
      output.error(`${signal} again: exiting at once, without waiting for a safe point (a serving load lease held now expires within 10 minutes)`);
      source.exit(exitCodeOfSignal(signal));
      return;
    }
    received = signal;
    output.info(`\n${signal === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM'}: stopping at the next safe point (Ctrl-C again exits at once)`);
    controller.abort(new CancelledError(`stopped by ${signal}`));
  };
  const onInterrupt = (): void => onSignal('SIGINT');
  const onTerminate = (): void => onSignal('SIGTERM');
  return {
    get signal() {
      if (!listening) {
        listening = true;
        source.on('SIGINT', onInterrupt);
        source.on('SIGTERM', onTerminate);
      }
      return controller.signal;
    },
    get exitCode() {
      return received === undefined ? undefined : exitCodeOfSignal(received);
    },
    dispose() {
      if (!listening) return;
      source.off('SIGINT', onInterrupt);
      source.off('SIGTERM', onTerminate);
      listening = false;
    },
  };
}
