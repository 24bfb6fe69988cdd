import { ConfigError } from '@cur/platform';

/** The environment variable that bounds the local SQL engine's memory (DuckDB's `memory_limit`). */
export const ENGINE_MEMORY_LIMIT_ENV = 'CUR_MEMORY_LIMIT';

/**
 * The engine's memory limit when {@link ENGINE_MEMORY_LIMIT_ENV} is not set: 4 GiB, half of the run's 8 GiB peak-RSS
 * budget (issue 18); the rest is JavaScript's heap, the native addons and DuckDB's buffers outside its buffer manager.
 * What does not fit spills to the engine's temp directory.
 */
export const DEFAULT_ENGINE_MEMORY_LIMIT = '4GiB';

/** The smallest limit accepted: below it DuckDB fails (out of memory) to group 1.5M distinct values, spilling or not (measured with @duckdb/node-api 1.5.6). */
export const MIN_ENGINE_MEMORY_BYTES = 128 * 2 ** 20;

const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/**
 * The engine's memory limit in bytes from a size such as `4GiB`, `512MB` or `2.5 GB` (decimal units KB/MB/GB/TB,
 * binary KiB/MiB/GiB/TiB, case-insensitive).
 *
 * @throws ConfigError naming {@link ENGINE_MEMORY_LIMIT_ENV} when the text is not such a size or is below 128 MiB
 * @example parseEngineMemoryLimit('512MiB') // 536870912
 */
export function parseEngineMemoryLimit(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(text);
  const unit = match ? UNITS[match[2]?.toLowerCase() ?? ''] : undefined;
  if (!match || unit === undefined) {
    throw new ConfigError(`invalid ${ENGINE_MEMORY_LIMIT_ENV}: expected a size with a unit, such as 4GiB, 512MiB or 2GB`, { details: { variables: ENGINE_MEMORY_LIMIT_ENV } });
  }
  const bytes = Math.floor(Number(match[1]) * unit);
  if (bytes < MIN_ENGINE_MEMORY_BYTES) {
    throw new ConfigError(`invalid ${ENGINE_MEMORY_LIMIT_ENV}: at least 128MiB, below which DuckDB cannot group distinct values even when spilling`, { details: { variables: ENGINE_MEMORY_LIMIT_ENV } });
  }
  return bytes;
}

/**
 * DuckDB's `memory_limit` setting from the environment: {@link ENGINE_MEMORY_LIMIT_ENV} when set (validated), else
 * {@link DEFAULT_ENGINE_MEMORY_LIMIT}; in whole MiB, which DuckDB reads exactly.
 *
 * @param env - @default process.env
 * @throws ConfigError naming the variable when its value is not a size of at least 128 MiB
 */
export function engineMemoryLimitFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const text = env[ENGINE_MEMORY_LIMIT_ENV];
  const bytes = parseEngineMemoryLimit(text === undefined || text.trim() === '' ? DEFAULT_ENGINE_MEMORY_LIMIT : text);
  return `${Math.floor(bytes / 2 ** 20)}MiB`;
}
