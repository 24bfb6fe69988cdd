import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { MaskingError } from '../masking-error';
import type { MaskingPlugin, PluginRequest } from './masking-plugin';
import { PluginResponseSchema } from './masking-plugin';
import { createPluginMasker } from './plugin-masker';

/** Options of {@link startCommandPlugin}. */
export interface CommandPluginOptions {
  readonly name: string;
  /** The program and its arguments, e.g. `['java', '-jar', 'bank-cipher.jar']`. */
  readonly command: readonly [string, ...string[]];
  readonly reversible: boolean;
  /** A batch that takes longer fails. @default 60 s */
  readonly timeoutMs?: number;
}

/**
 * A plug-in that is an external program speaking JSON lines on stdin/stdout (see `PluginRequestSchema`): the way to
 * run the bank's own encryption program, in any language. The process starts on first use and is reused.
 */
export function startCommandPlugin(options: CommandPluginOptions): MaskingPlugin {
  let child: ChildProcessWithoutNullStreams | undefined;
  let nextId = 1;
  const pending = new Map<number, { resolve: (tokens: string[]) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>();

  const failAll = (error: Error): void => {
    for (const [id, waiter] of pending) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
      pending.delete(id);
    }
    child = undefined;
  };

  const processFor = (): ChildProcessWithoutNullStreams => {
    if (child) return child;
    const [program, ...args] = options.command;
    const started = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    started.on('error', (error) => failAll(new MaskingError('PLUGIN_FAILED', `plug-in '${options.name}' could not start: ${error.message}`)));
    started.on('exit', (code) => failAll(new MaskingError('PLUGIN_FAILED', `plug-in '${options.name}' exited with code ${code}`)));
    // Its stderr is its own log; it may hold values, so it is dropped rather than echoed into ours.
    started.stderr.resume();
    createInterface({ input: started.stdout }).on('line', (line) => {
      const parsed = PluginResponseSchema.safeParse(safeJson(line));
      if (!parsed.success) return failAll(new MaskingError('PLUGIN_FAILED', `plug-in '${options.name}' wrote a line that is not a protocol response`));
      const waiter = pending.get(parsed.data.id);
      if (!waiter) return;
      pending.delete(parsed.data.id);
      clearTimeout(waiter.timer);
      if ('error' in parsed.data) waiter.reject(new MaskingError('PLUGIN_FAILED', `plug-in '${options.name}' refused the batch (${parsed.data.error.code})`));
      else waiter.resolve(parsed.data.tokens);
    });
    child = started;
    return started;
  };

  return {
    name: options.name,
    createMasker: ({ keyGroup, keyRing, params }) =>
      createPluginMasker(
        {
          name: options.name,
          reversible: options.reversible,
          call: (op, values, context) =>
            new Promise<string[]>((resolve, reject) => {
              const id = nextId++;
              const request: PluginRequest = {
                id,
                op,
                keyGroup: context.keyGroup,
                keyVersion: context.keyVersion,
                key: Buffer.from(context.key).toString('base64'),
                params: { ...context.params },
                values: [...values],
              };
              const timer = setTimeout(() => {
                pending.delete(id);
                reject(new MaskingError('PLUGIN_FAILED', `plug-in '${options.name}' did not answer within ${options.timeoutMs ?? 60_000} ms`));
              }, options.timeoutMs ?? 60_000);
              pending.set(id, { resolve, reject, timer });
              processFor().stdin.write(`${JSON.stringify(request)}\n`);
            }),
        },
        keyGroup,
        keyRing,
        params,
      ),
    close: async () => {
      const running = child;
      child = undefined;
      if (running) {
        running.removeAllListeners('exit');
        running.stdin.end();
        await new Promise<void>((resolve) => {
          running.once('exit', () => resolve());
          setTimeout(() => {
            running.kill();
            resolve();
          }, 2_000).unref();
        });
      }
    },
  };
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
