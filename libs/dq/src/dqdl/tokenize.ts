import { DqdlSyntaxError } from '../dq-error';

/** The kinds of DQDL tokens. Keywords are identifiers; the parser tells them apart by context, as DQDL does. */
export type TokenKind = 'identifier' | 'number' | 'string' | 'variable' | 'punctuation' | 'end';

/** One token of a DQDL document. */
export interface Token {
  readonly kind: TokenKind;
  /** The token as written (a string with its quotes). */
  readonly text: string;
  /** The string's content with `\"` and `\\` unescaped; the variable's name without `$`; else the text. */
  readonly value: string;
  readonly offset: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
}

/** Punctuation, longest first so `>=` wins over `>`. */
const PUNCTUATION = ['>=', '<=', '!=', '[', ']', '(', ')', '{', '}', ',', ':', '=', '>', '<', '+', '-', '*', '/', '!'] as const;

const IDENTIFIER_START = /[A-Za-z_]/;
const IDENTIFIER_PART = /[A-Za-z0-9_.]/;
const DIGIT = /[0-9]/;

/**
 * Splits a DQDL document into tokens. Whitespace and `#` comments (to the end of the line) are skipped; strings are
 * double-quoted with `\"` and `\\` as the only escapes and may span lines.
 *
 * @param source - the DQDL text
 * @returns the tokens, ending with an `end` token
 * @throws DqdlSyntaxError on an unterminated string or a character DQDL does not use
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let offset = 0;
  let line = 1;
  let lineStart = 0;
  const column = (at: number): number => at - lineStart + 1;

  while (offset < source.length) {
    const char = source[offset] ?? '';
    if (char === '\n') {
      offset += 1;
      line += 1;
      lineStart = offset;
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\r' || char === '\f') {
      offset += 1;
      continue;
    }
    if (char === '#') {
      while (offset < source.length && source[offset] !== '\n') offset += 1;
      continue;
    }
    const start = offset;
    const startLine = line;
    const startColumn = column(start);
    const push = (kind: TokenKind, end: number, value?: string): void => {
      const text = source.slice(start, end);
      tokens.push({ kind, text, value: value ?? text, offset: start, end, line: startLine, column: startColumn });
      offset = end;
    };

    if (char === '"') {
      let value = '';
      let at = start + 1;
      for (;;) {
        const next = source[at];
        if (next === undefined) throw new DqdlSyntaxError(startLine, startColumn, 'unterminated string: a \'"\' is missing');
        if (next === '\\' && (source[at + 1] === '"' || source[at + 1] === '\\')) {
          value += source[at + 1];
          at += 2;
          continue;
        }
        if (next === '"') break;
        if (next === '\n') {
          line += 1;
          lineStart = at + 1;
        }
        value += next;
        at += 1;
      }
      push('string', at + 1, value);
      continue;
    }
    if (DIGIT.test(char)) {
      let at = start;
      while (DIGIT.test(source[at] ?? '')) at += 1;
      if (source[at] === '.' && DIGIT.test(source[at + 1] ?? '')) {
        at += 1;
        while (DIGIT.test(source[at] ?? '')) at += 1;
      }
      // `11ColumnValues` is one (bad) identifier in DQDL's lexer, not a number and a name.
      if (IDENTIFIER_START.test(source[at] ?? '')) {
        while (IDENTIFIER_PART.test(source[at] ?? '')) at += 1;
        push('identifier', at);
      } else {
        push('number', at);
      }
      continue;
    }
    if (IDENTIFIER_START.test(char)) {
      let at = start;
      while (IDENTIFIER_PART.test(source[at] ?? '')) at += 1;
      push('identifier', at);
      continue;
    }
    if (char === '$') {
      let at = start + 1;
      if (!IDENTIFIER_START.test(source[at] ?? '')) throw new DqdlSyntaxError(startLine, startColumn, "expected a variable name after '$'");
      while (IDENTIFIER_PART.test(source[at] ?? '')) at += 1;
      push('variable', at, source.slice(start + 1, at));
      continue;
    }
    const punctuation = PUNCTUATION.find((candidate) => source.startsWith(candidate, start));
    if (punctuation) {
      push('punctuation', start + punctuation.length);
      continue;
    }
    throw new DqdlSyntaxError(startLine, startColumn, `unexpected character '${char}'`);
  }
  tokens.push({ kind: 'end', text: '', value: '', offset: source.length, end: source.length, line, column: column(source.length) });
  return tokens;
}
