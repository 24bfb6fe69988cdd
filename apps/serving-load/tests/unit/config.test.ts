import { describe, expect, it } from 'vitest';
import { loadServingLoadConfig } from '../../src/config';
import { DEFAULT_SCRATCH_DIR } from '../../src/constants';

describe('loadServingLoadConfig', () => {
  it('gives DuckDB 60% of the function memory Lambda reports, and scratch space under /tmp', () => {
    expect(loadServingLoadConfig({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '3008' })).toEqual({ scratchDir: DEFAULT_SCRATCH_DIR, engineMemoryLimit: '1804MB' });
  });

  it('takes the scratch folder from CUR_SERVING_SCRATCH_DIR and 1 GB for DuckDB outside Lambda', () => {
    expect(loadServingLoadConfig({ CUR_SERVING_SCRATCH_DIR: '/var/tmp/x' })).toEqual({ scratchDir: '/var/tmp/x', engineMemoryLimit: '1024MB' });
  });

  it('refuses a relative scratch folder, naming the variable', () => {
    expect(() => loadServingLoadConfig({ CUR_SERVING_SCRATCH_DIR: 'tmp' })).toThrow(/CUR_SERVING_SCRATCH_DIR/);
  });
});
