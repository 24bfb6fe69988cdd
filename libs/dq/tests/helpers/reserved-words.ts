/** Words DQDL reads as keywords, which a bare (unquoted) rule parameter can never be. */
export const RESERVED_FOR_TESTS: ReadonlySet<string> = new Set([
  'between', 'in', 'not', 'matches', 'with', 'threshold', 'where', 'labels', 'now',
  'and', 'AND', 'or', 'OR', 'of', 'OF',
  'null', 'NULL', 'empty', 'EMPTY', 'whitespaces_only', 'WHITESPACES_ONLY',
]);
