import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root (libs/replication/tests/helpers -> four levels up). */
const REPO_ROOT = new URL('../../../../', import.meta.url);

/** `../shared/reference/dms/` next to the repository: in the team's workspace and CI, not in a user's clone. */
export const DMS_REFERENCE_DIR = fileURLToPath(new URL('../shared/reference/dms/', REPO_ROOT));

/** A reference file of `../shared/reference/dms/`, parsed, or undefined when ../shared is absent. */
export function readDmsReference(name: string): unknown {
  const path = `${DMS_REFERENCE_DIR}${name}`;
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as unknown) : undefined;
}
