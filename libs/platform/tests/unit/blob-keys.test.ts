import { describe, expect, it } from 'vitest';
import { assertSafeBlobKey } from '../../src/index';

describe('assertSafeBlobKey', () => {
  it.each(['incoming/customer_profile/customer_profile_20261125.ctl', 'raw/customer_profile/business_date=2026-11-25/part-0.parquet', 'a'])(
    'accepts %s',
    (key) => expect(() => assertSafeBlobKey(key)).not.toThrow(),
  );

  it.each(['', '/abs', 'a//b', '../up', 'a/../b', 'a/./b', 'dir/', 'back\\slash', 'space here', '中文'])('rejects %j', (key) => {
    expect(() => assertSafeBlobKey(key)).toThrow(/is not allowed/);
  });
});
