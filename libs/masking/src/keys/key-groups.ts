import { ALL_DATASET_NAMES, getDataset } from '@cur/contracts';
import type { MaskMethod, MaskingPolicy } from '@cur/policy';
import { createMaskingPolicy } from '@cur/policy';
import { MaskingError } from '../masking-error';

/** The command-line flag that rotates a join-key group through the re-tokenise job; named in refusals. */
export const RETOKENIZE_FLAG = '--retokenize';

/** Methods that mask with a data key of the column's key group (and so make the group exist in the key ring). */
const KEYED_METHODS: ReadonlySet<MaskMethod> = new Set(['ff1', 'daead', 'hmac', 'plugin']);

/** One column masked under a key group. */
export interface KeyGroupColumn {
  readonly dataset: string;
  readonly column: string;
}

/** A key group as the masking policy defines it. */
export interface KeyGroupInfo {
  readonly name: string;
  /** Every column stored under this group's keys, in contract order. */
  readonly columns: readonly KeyGroupColumn[];
  /**
   * Its tokens are join keys: one of its columns is a primary key or either end of a declared reference, or the group
   * spans datasets. Tokens are deterministic per key version, so a rotation gives partitions masked afterwards other
   * tokens than those already published, and joins across them (across datasets or across business dates) silently
   * stop matching. Such a group is rotated only together with re-tokenising what is published.
   */
  readonly joinKey: boolean;
}

/**
 * Every key group of the policy: the group of each column whose storage treatment uses a data key, over every
 * declared dataset. The policy is the only source of key group names; nothing else may create one.
 *
 * @param policy - @default createMaskingPolicy()
 * @example
 * describeKeyGroups().find((group) => group.name === 'national_id')?.joinKey; // true
 */
export function describeKeyGroups(policy: MaskingPolicy = createMaskingPolicy()): KeyGroupInfo[] {
  const groups = new Map<string, { columns: KeyGroupColumn[]; joinKey: boolean }>();
  const joinColumns = new Set<string>();
  for (const name of ALL_DATASET_NAMES) {
    const dataset = getDataset(name);
    for (const column of dataset.primaryKey) joinColumns.add(`${name}.${column}`);
    for (const reference of dataset.references) {
      joinColumns.add(`${name}.${reference.column}`);
      joinColumns.add(`${reference.dataset}.${reference.targetColumn}`);
    }
  }
  for (const name of ALL_DATASET_NAMES) {
    for (const column of getDataset(name).columns) {
      if (!KEYED_METHODS.has(policy.storageTreatmentFor(name, column.name).method)) continue;
      const keyGroup = policy.keyGroupFor(name, column.name);
      const group = groups.get(keyGroup) ?? { columns: [], joinKey: false };
      group.columns.push({ dataset: name, column: column.name });
      if (joinColumns.has(`${name}.${column.name}`)) group.joinKey = true;
      groups.set(keyGroup, group);
    }
  }
  return [...groups].map(([name, group]) => ({
    name,
    columns: group.columns,
    joinKey: group.joinKey || new Set(group.columns.map((column) => column.dataset)).size > 1,
  }));
}

/**
 * Checks a key group name against the policy: the one check of a key group name at every boundary (the `cur keys`
 * commands, the masking-key-service's rotate route, `TokenService.rotate`). Not a pattern: a well-formed name the
 * policy does not define (`evil`, `national_id_2`) is as unknown as `evil/../x`.
 *
 * @param name - as received (a path parameter, a command argument); never echoed back
 * @param policy - @default createMaskingPolicy()
 * @returns the name, now known to be one of the policy's key groups
 * @throws MaskingError KEY_GROUP_UNKNOWN listing the known names
 */
export function parseKeyGroupName(name: unknown, policy: MaskingPolicy = createMaskingPolicy()): string {
  return keyGroupInfo(name, policy).name;
}

/**
 * The policy's description of a key group.
 *
 * @throws MaskingError KEY_GROUP_UNKNOWN listing the known names
 */
export function keyGroupInfo(name: unknown, policy: MaskingPolicy = createMaskingPolicy()): KeyGroupInfo {
  const groups = describeKeyGroups(policy);
  const found = typeof name === 'string' ? groups.find((group) => group.name === name) : undefined;
  if (!found) {
    // The name is not repeated: whatever it holds stays out of messages and logs.
    throw new MaskingError('KEY_GROUP_UNKNOWN', `unknown key group: a key group is one the masking policy defines (${groups.map((group) => group.name).join(', ')})`);
  }
  return found;
}
