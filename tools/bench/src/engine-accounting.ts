import type { SqlEngine } from '@cur/platform';

/** CPU seconds of this process so far: JavaScript and DuckDB's threads. */
export const cpuSeconds = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};

/** Wall and CPU seconds spent in one line of an account, and the engine calls in it. */
export interface Spent {
  wall: number;
  cpu: number;
  calls: number;
}

/** Runs `work`, returning its wall and CPU seconds. */
export async function spent(work: () => Promise<unknown>): Promise<Spent> {
  const [wall, cpu] = [performance.now(), cpuSeconds()];
  await work();
  return { wall: (performance.now() - wall) / 1000, cpu: cpuSeconds() - cpu, calls: 1 };
}

/**
 * Wraps `engine` so each call's wall and CPU time is added to the line `lineOf` names for it (from the method called
 * and its SQL, when the first argument is SQL); with `between`, the time since the previous call returned is added
 * to that line (in the mask step, JavaScript's: the ciphers and the value arrays).
 */
export function accountedEngine(engine: SqlEngine, lineOf: (call: string, sql: string) => string, account: Map<string, Spent>, between?: string): SqlEngine {
  const add = (name: string, wallMs: number, cpu: number, calls: number): void => {
    const line = account.get(name) ?? { wall: 0, cpu: 0, calls: 0 };
    line.wall += wallMs / 1000;
    line.cpu += cpu;
    line.calls += calls;
    account.set(name, line);
  };
  let [lastWall, lastCpu] = [performance.now(), cpuSeconds()];
  return new Proxy(engine, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]): Promise<unknown> => {
        const [wall, cpu] = [performance.now(), cpuSeconds()];
        if (between !== undefined) add(between, wall - lastWall, cpu - lastCpu, 0);
        const name = lineOf(String(property), typeof args[0] === 'string' ? args[0] : '');
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          [lastWall, lastCpu] = [performance.now(), cpuSeconds()];
          add(name, lastWall - wall, lastCpu - cpu, 1);
        }
      };
    },
  }) as SqlEngine;
}
