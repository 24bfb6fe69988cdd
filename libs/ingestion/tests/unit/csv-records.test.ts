import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvRecordReader } from '../../src/csv/csv-records';

const read = (chunks: string[]): string[][] => {
  const reader = new CsvRecordReader();
  return [...chunks.flatMap((chunk) => reader.push(chunk)), ...reader.end()];
};

const encode = (rows: string[][], eol: string): string =>
  rows.map((row) => row.map((field) => (/[",\r\n]/.test(field) || field === '' ? `"${field.replaceAll('"', '""')}"` : field)).join(',')).join(eol) + eol;

describe('CsvRecordReader', () => {
  it('reads quoted fields with commas, quotes and line breaks, CRLF or LF', () => {
    expect(read(['a,b,c\r\n"1,5","say ""hi""","two\nlines"\r\n'])).toEqual([
      ['a', 'b', 'c'],
      ['1,5', 'say "hi"', 'two\nlines'],
    ]);
    expect(read(['x,y\n1,\n'])).toEqual([['x', 'y'], ['1', '']]);
  });

  it('keeps the last record without a final line break', () => {
    expect(read(['a,b\n1,2'])).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('gives the same records however the text is split into chunks', () => {
    const field = fc.string({ unit: fc.constantFrom('a', '臺', ',', '"', '\n', '\r', ' ', '9') });
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 }), fc.constantFrom('\n', '\r\n'), fc.array(fc.nat(), { maxLength: 6 }), (rows, eol, cuts) => {
        const text = encode(rows, eol);
        const bounds = [0, ...new Set(cuts.map((cut) => cut % (text.length + 1))), text.length].sort((a, b) => a - b);
        const chunks = bounds.slice(1).map((end, i) => text.slice(bounds[i], end));
        expect(read([text])).toEqual(rows);
        expect(read(chunks)).toEqual(rows);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a file that ends inside a quote', () => {
    expect(() => read(['a\n"open'])).toThrow(/inside a quoted field/);
  });
});

describe('CsvRecordReader.count', () => {
  const count = (chunks: string[]): number => {
    const reader = new CsvRecordReader();
    const counted = chunks.reduce((sum, chunk) => sum + reader.count(chunk), 0);
    return counted + reader.end().filter((record) => !(record.length === 1 && record[0] === '')).length;
  };

  it('counts records, not lines: quoted line breaks stay inside, blank lines are not records', () => {
    expect(count(['a,b\r\n"x\ny",1\n\n2,3\r\n\r\n4,5'])).toBe(4);
    expect(count(['a\n', '\n', 'b\r', '\nc'])).toBe(3);
  });

  it('agrees with push on every split of every text', () => {
    const unit = fc.constantFrom('a', '臺', ',', '"', '\n', '\r', ' ', '9');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 60 }), fc.array(fc.nat(), { maxLength: 6 }), (text, cuts) => {
        // Any text, even one that is not valid CSV, as long as it does not end inside a quote.
        let records: string[][];
        try {
          records = read([text]);
        } catch {
          return;
        }
        const bounds = [0, ...new Set(cuts.map((cut) => cut % (text.length + 1))), text.length].sort((a, b) => a - b);
        const chunks = bounds.slice(1).map((end, i) => text.slice(bounds[i], end));
        expect(count(chunks)).toBe(records.filter((record) => !(record.length === 1 && record[0] === '')).length);
        expect(read(chunks)).toEqual(records);
      }),
      { numRuns: 2000 },
    );
  });
});
