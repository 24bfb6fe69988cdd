import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** A JSON value, as a JSON Schema file holds it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isEmptyObject = (value: Json): boolean => value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;

/**
 * A JSON Schema reduced to what constrains a document, so a zod schema (`z.toJSONSchema`) and the pydantic model's
 * committed schema compare: references resolved, annotations (titles, descriptions, discriminator hints) dropped,
 * `oneOf`/`anyOf` alike, the type a `const` implies dropped (pydantic says integer, zod number), a date's pattern
 * dropped beside its `format`, array and empty-object defaults dropped (pydantic writes no `default_factory` into the
 * schema; both sides fill an empty one), `propertyNames: {type: string}` dropped (every JSON key is a string), and
 * zod's safe-integer bounds on an integer dropped (JSON numbers past 2^53 do not survive JSON.parse anyway; pydantic's
 * ints have no bound).
 */
export function normaliseJsonSchema(node: Json, defs: Record<string, Json>): Json {
  if (Array.isArray(node)) return node.map((item) => normaliseJsonSchema(item, defs));
  if (node === null || typeof node !== 'object') return node;
  const ref = node['$ref'];
  if (typeof ref === 'string') return normaliseJsonSchema(defs[ref.replace('#/$defs/', '')] ?? null, defs);
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(node)) {
    if (['title', 'description', '$comment', '$schema', '$defs', 'discriminator'].includes(key)) continue;
    if (key === 'type' && 'const' in node) continue;
    if (key === 'pattern' && node['format'] === 'date') continue;
    if (key === 'default' && (Array.isArray(value) || isEmptyObject(value))) continue;
    if (key === 'propertyNames' && JSON.stringify(value) === '{"type":"string"}') continue;
    if ((key === 'maximum' && value === Number.MAX_SAFE_INTEGER) || (key === 'minimum' && value === Number.MIN_SAFE_INTEGER)) continue;
    out[key === 'anyOf' ? 'oneOf' : key] = normaliseJsonSchema(value, defs);
  }
  return out;
}

/**
 * A zod schema's JSON Schema and the Spark runner's committed one (`libs/spark-runner/<file>`, written from its
 * pydantic model), both normalised ({@link normaliseJsonSchema}), for a test that holds the two sides equal.
 *
 * @param io - `input` for what a document may say (defaults optional), `output` for what a parsed one holds
 */
export async function comparableJsonSchemas(schema: z.ZodType, file: string, io: 'input' | 'output' = 'input'): Promise<{ readonly ours: Json; readonly committed: Json }> {
  const path = fileURLToPath(new URL(`../../../spark-runner/${file}`, import.meta.url));
  const committed = JSON.parse(await readFile(path, 'utf8')) as { $defs?: Record<string, Json> } & Record<string, Json>;
  return { ours: normaliseJsonSchema(z.toJSONSchema(schema, { io }) as Json, {}), committed: normaliseJsonSchema(committed, committed.$defs ?? {}) };
}
