import { userInfo } from 'node:os';
import type { Caller } from '@cur/masking';
import type { CliContext } from './cli-context';

/** Who a `cur` command acts as: the OS user, in the role given by `--role`. Audit entries name both. */
export function callerOf(context: CliContext): Caller {
  const user = osUser();
  return { principal: `cli:${user}`, role: context.role, osUser: user };
}

/** The operating-system user running this process; `uid:<n>` in a container without a passwd entry. */
export function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid:${process.getuid?.() ?? 'unknown'}`;
  }
}
