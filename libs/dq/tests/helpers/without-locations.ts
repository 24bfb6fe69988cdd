/** A parsed ruleset (or part) without its source texts and positions: what printing and parsing again must keep. */
export function withoutLocations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutLocations);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'text' && key !== 'position').map(([key, child]) => [key, withoutLocations(child)]));
  }
  return value;
}
