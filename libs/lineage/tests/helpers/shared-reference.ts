import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root (libs/lineage/tests/helpers -> four levels up). */
const REPO_ROOT = new URL('../../../../', import.meta.url);

/** `../shared/reference/datahub/avsc/` next to the repository: in the team's workspace and CI, not in a user's clone. */
export const DATAHUB_AVSC_DIR = fileURLToPath(new URL('../shared/reference/datahub/avsc/', REPO_ROOT));

/** A top-level field of an aspect's Avro record. */
export interface AvroField {
  readonly name: string;
  readonly hasDefault: boolean;
}

/** DataHub's aspect schemas in ../shared, by aspect name (`dataJobInfo`), or undefined when ../shared is absent. */
export function readDataHubAspectSchemas(): Map<string, AvroField[]> | undefined {
  if (!existsSync(DATAHUB_AVSC_DIR)) return undefined;
  const schemas = new Map<string, AvroField[]>();
  for (const file of readdirSync(DATAHUB_AVSC_DIR).filter((name) => name.endsWith('.avsc'))) {
    const schema = JSON.parse(readFileSync(`${DATAHUB_AVSC_DIR}${file}`, 'utf8')) as { Aspect?: { name: string }; fields: { name: string; default?: unknown }[] };
    if (schema.Aspect) schemas.set(schema.Aspect.name, schema.fields.map((field) => ({ name: field.name, hasDefault: 'default' in field })));
  }
  return schemas;
}
