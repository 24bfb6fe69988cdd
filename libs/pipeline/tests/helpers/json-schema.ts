/** A JSON value, as a JSON Schema file holds it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isEmptyObject = (value: Json): boolean => value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;

/**
 * A JSON Schema reduced to what constrains a document, so a zod schema (`z.toJSONSchema`) and the pydantic model's
 * committed schema compare: references resolved, annotations (titles, descriptions, discriminator hints) dropped,
 * `oneOf`/`anyOf` alike, the type a `const` implies dropped (pydantic says integer, zod number), a date's pattern
 * dropped beside its `format`, array and empty-object defaults dropped (pydantic writes no `default_factory` into the
 * schema; both sides fill an empty one), and `propertyNames: {type: string}` dropped (every JSON key is a string).
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
    out[key === 'anyOf' ? 'oneOf' : key] = normaliseJsonSchema(value, defs);
  }
  return out;
}
