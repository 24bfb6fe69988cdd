import { userInfo } from 'node:os';
import type { Caller } from '@cur/masking';
import type { CliContext } from './cli-context';

/** Who a `cur` command acts as: the OS user, in the role given by `--role`. Audit entries name both. */
export function callerOf(context: CliContext): Caller {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // Containers without a passwd entry: the role alone identifies the caller.
  }
  return { principal: `cli:${user}`, role: context.role };
}
