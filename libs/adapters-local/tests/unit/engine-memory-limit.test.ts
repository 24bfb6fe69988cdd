import { ConfigError } from '@cur/platform';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE_MEMORY_LIMIT, engineMemoryLimitFromEnv, parseEngineMemoryLimit } from '../../src/index';

describe('Function: parseEngineMemoryLimit', () => {
  it('reads decimal and binary units, case-insensitive, with or without a space', () => {
    expect(parseEngineMemoryLimit('4GiB')).toBe(4 * 2 ** 30);
    expect(parseEngineMemoryLimit('512mb')).toBe(512e6);
    expect(parseEngineMemoryLimit('2.5 GB')).toBe(2.5e9);
    expect(parseEngineMemoryLimit('128MiB')).toBe(128 * 2 ** 20);
  });

  it.each(['4', 'lots', '4 GiBs', '-1GB', '', '1e9B'])('refuses %j with an error that names CUR_MEMORY_LIMIT', (text) => {
    expect(() => parseEngineMemoryLimit(text)).toThrow(ConfigError);
    expect(() => parseEngineMemoryLimit(text)).toThrow(/CUR_MEMORY_LIMIT: expected a size with a unit/);
  });

  it('refuses a limit below 128 MiB, naming the variable', () => {
    expect(() => parseEngineMemoryLimit('127MiB')).toThrow(/invalid CUR_MEMORY_LIMIT: at least 128MiB/);
  });
});

describe('Function: engineMemoryLimitFromEnv', () => {
  it('defaults to 4 GiB when the variable is unset or blank', () => {
    expect(DEFAULT_ENGINE_MEMORY_LIMIT).toBe('4GiB');
    expect(engineMemoryLimitFromEnv({})).toBe('4096MiB');
    expect(engineMemoryLimitFromEnv({ CUR_MEMORY_LIMIT: ' ' })).toBe('4096MiB');
  });

  it('gives DuckDB whole MiB of the value set', () => {
    expect(engineMemoryLimitFromEnv({ CUR_MEMORY_LIMIT: '1GB' })).toBe('953MiB');
    expect(engineMemoryLimitFromEnv({ CUR_MEMORY_LIMIT: '768MiB' })).toBe('768MiB');
  });

  it('carries the variable name in the error details', () => {
    const error = (() => {
      try {
        engineMemoryLimitFromEnv({ CUR_MEMORY_LIMIT: 'half' });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).details).toEqual({ variables: 'CUR_MEMORY_LIMIT' });
  });
});
