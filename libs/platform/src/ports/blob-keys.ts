import { ValidationError } from '../errors/cur-error';

const SAFE_KEY = /^(?!\/)(?!.*\/\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9!_.*'()=\-/]+$/;

/**
 * Checks an object key is one every store treats the same: S3's safe characters plus `=` (Hive partitions), no
 * leading slash, no empty or dot segments. Stops path traversal in the local store and surprises in S3.
 *
 * @throws ValidationError naming the key and the rule it breaks
 */
export function assertSafeBlobKey(key: string): void {
  if (key.length === 0 || key.length > 1024 || !SAFE_KEY.test(key) || key.endsWith('/')) {
    throw new ValidationError(
      `object key '${key}' is not allowed: use 1-1024 of A-Z a-z 0-9 ! _ . * ' ( ) = - /, no leading or trailing '/', no '.' or '..' segments`,
      { details: { key } },
    );
  }
}
