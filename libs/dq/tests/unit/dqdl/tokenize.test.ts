import { describe, expect, it } from 'vitest';
import { DqdlSyntaxError, tokenize } from '../../../src/index';

describe('Function: tokenize', () => {
  it('splits a rule into identifiers, strings, numbers and punctuation with 1-based lines and columns', () => {
    // Prepare
    const source = 'Rules = [\n  ColumnValues "col-A" >= 1.5\n]';

    // Act
    const tokens = tokenize(source);

    // Assess
    expect(tokens.map((token) => [token.kind, token.value, token.line, token.column])).toEqual([
      ['identifier', 'Rules', 1, 1],
      ['punctuation', '=', 1, 7],
      ['punctuation', '[', 1, 9],
      ['identifier', 'ColumnValues', 2, 3],
      ['string', 'col-A', 2, 16],
      ['punctuation', '>=', 2, 24],
      ['number', '1.5', 2, 27],
      ['punctuation', ']', 3, 1],
      ['end', '', 3, 2],
    ]);
  });

  it('skips # comments to the end of the line, also at the very end', () => {
    const tokens = tokenize('RowCount > 1 # no newline after this');

    expect(tokens.map((token) => token.text)).toEqual(['RowCount', '>', '1', '']);
  });

  it('unescapes \\" and \\\\ in strings and keeps other backslashes, so regular expressions survive', () => {
    const [quote, regex] = tokenize('"say \\"hi\\" \\\\" "\\d+"');

    expect(quote?.value).toBe('say "hi" \\');
    expect(regex?.value).toBe('\\d+');
  });

  it('keeps line and column right after a string that spans lines', () => {
    const tokens = tokenize('"a\nb" x');

    expect(tokens[1]).toMatchObject({ text: 'x', line: 2, column: 4 });
  });

  it('reads a variable reference without its $', () => {
    expect(tokenize('$locations')[0]).toMatchObject({ kind: 'variable', value: 'locations', text: '$locations' });
  });

  it('reads digits followed by letters as one (bad) identifier, as DQDL lexes 11ColumnValues', () => {
    expect(tokenize('11ColumnValues')[0]).toMatchObject({ kind: 'identifier', text: '11ColumnValues' });
  });

  it.each([
    ['"never closed', 'line 1, column 1: unterminated string'],
    ['RowCount > 1 @', "line 1, column 14: unexpected character '@'"],
    ['x\n  $ y', "line 2, column 3: expected a variable name after '$'"],
  ])('rejects %j with the position of the problem', (source, message) => {
    expect(() => tokenize(source)).toThrowError(DqdlSyntaxError);
    expect(() => tokenize(source)).toThrowError(message);
  });
});
