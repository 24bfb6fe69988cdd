import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvFormatError } from '../../src/csv/csv-format-error';
import { CsvRecordReader, type CsvRecordReaderOptions } from '../../src/csv/csv-records';

const read = (chunks: string[], options?: CsvRecordReaderOptions): string[][] => {
  const reader = new CsvRecordReader(options);
  return [...chunks.flatMap((chunk) => reader.push(chunk)), ...reader.end()];
};

const count = (chunks: string[], options?: CsvRecordReaderOptions): number => {
  const reader = new CsvRecordReader(options);
  const counted = chunks.reduce((sum, chunk) => sum + reader.count(chunk), 0);
  return counted + reader.endCount();
};

const encode = (rows: string[][], eol: string): string =>
  rows.map((row) => row.map((field) => (/[",\r\n]/.test(field) || field === '' ? `"${field.replaceAll('"', '""')}"` : field)).join(',')).join(eol) + eol;

/** The text cut at the given points. */
const split = (text: string, cuts: number[]): string[] => {
  const bounds = [0, ...new Set(cuts.map((cut) => cut % (text.length + 1))), text.length].sort((a, b) => a - b);
  return bounds.slice(1).map((end, i) => text.slice(bounds[i], end));
};

/** The CsvFormatError a run throws. */
const failure = (run: () => unknown): CsvFormatError => {
  try {
    run();
  } catch (error) {
    if (error instanceof CsvFormatError) return error;
    throw error;
  }
  throw new Error('expected a CsvFormatError');
};

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
        expect(read([text])).toEqual(rows);
        expect(read(split(text, cuts))).toEqual(rows);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a file that ends inside a quote, saying where', () => {
    expect(() => read(['a\n"open'])).toThrow(CsvFormatError);
    expect(() => read(['a\n"open'])).toThrow('record 2, field 1: the file ends inside a quoted field');
  });
});

describe('CsvRecordReader.count', () => {
  it('counts records, not lines: quoted line breaks stay inside, blank lines are not records', () => {
    expect(count(['a,b\r\n"x\ny",1\n\n2,3\r\n\r\n4,5'])).toBe(4);
    expect(count(['a\n', '\n', 'b\r', '\nc'])).toBe(3);
  });

  it('agrees with push on every split of every text, errors and their positions included', () => {
    const unit = fc.constantFrom('a', '臺', ',', '"', '\n', '\r', ' ', '9');
    // Small limits and a field count, so that every kind of error turns up among short texts.
    const options = { limits: { maxFieldChars: 3, maxRecordChars: 8 }, fields: 2 };
    const outcome = (run: () => unknown): unknown => {
      try {
        return run();
      } catch (error) {
        if (!(error instanceof CsvFormatError)) throw error;
        return { problem: error.problem, position: error.position };
      }
    };
    fc.assert(
      // Any text, even one that is not valid CSV.
      fc.property(fc.string({ unit, maxLength: 60 }), fc.array(fc.nat(), { maxLength: 6 }), (text, cuts) => {
        const chunks = split(text, cuts);
        const records = outcome(() => read([text], options));
        const counted = Array.isArray(records) ? (records as string[][]).filter((record) => !(record.length === 1 && record[0] === '')).length : records;
        expect(outcome(() => count(chunks, options))).toEqual(counted);
        expect(outcome(() => read(chunks, options))).toEqual(records);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('CsvRecordReader strictness and limits', () => {
  const header = 'a,b,c\r\n';
  const options = { limits: { maxFieldChars: 10, maxRecordChars: 30 }, fields: 3 };

  it.each([
    ['a quote inside an unquoted field', `${header}1,ab"cd,3\r\n`, 'QUOTE_IN_UNQUOTED_FIELD', { record: 2, field: 2 }],
    ['text after a closing quote', `${header}1,"ab"cd,3\r\n`, 'TEXT_AFTER_CLOSING_QUOTE', { record: 2, field: 2 }],
    ['a file that ends inside a quote', `${header}1,2,"abcd`, 'UNCLOSED_QUOTE', { record: 2, field: 3 }],
    ['too many fields (a blank line is a record)', `${header}1,2,3\r\n\r\n1,2,3,4\r\n`, 'FIELD_COUNT', { record: 4, fields: 4, limit: 3 }],
    ['too few fields, quoted', `${header}"1","2"\r\n`, 'FIELD_COUNT', { record: 2, fields: 2, limit: 3 }],
    ['a field past the limit', `${header}1,${'x'.repeat(11)},3\r\n`, 'FIELD_TOO_LONG', { record: 2, field: 2, limit: 10 }],
    ['a quoted field past the limit', `${header}1,"${'x'.repeat(11)}",3\r\n`, 'FIELD_TOO_LONG', { record: 2, field: 2, limit: 10 }],
    ['a quoted field past the limit across lines', `${header}1,"${'x\n'.repeat(6)}",3\r\n`, 'FIELD_TOO_LONG', { record: 2, field: 2, limit: 10 }],
    ['a record past the limit', `${header}${'x'.repeat(10)},${'y'.repeat(10)},${'z'.repeat(10)}\r\n`, 'RECORD_TOO_LONG', { record: 2, limit: 30 }],
    ['a huge field in the header position', `${'x'.repeat(100)}\r\n1,2,3\r\n`, 'FIELD_TOO_LONG', { record: 1, field: 1, limit: 10 }],
  ])('refuses %s, naming where but not what, in push and in count, whatever the chunks', (_label, text, problem, position) => {
    for (const chunks of [[text], [...text]]) {
      for (const run of [() => read(chunks, options), () => count(chunks, options)]) {
        const error = failure(run);
        expect(error.problem).toBe(problem);
        expect(error.position).toEqual(position);
        expect(error.code).toBe('MALFORMED_CSV');
        expect(`${error.message} ${JSON.stringify(error.details)}`).not.toMatch(/xx|yy|ab|cd/);
      }
    }
  });

  it('accepts a field and a record of exactly the limit', () => {
    const limits = { limits: { maxFieldChars: 10, maxRecordChars: 32 }, fields: 3 };
    const row = ['x'.repeat(10), `"${'y'.repeat(9)}"""`, 'z'.repeat(10)].join(',');
    expect(read([`${header}${row}\r\n`], limits)).toEqual([['a', 'b', 'c'], ['x'.repeat(10), `${'y'.repeat(9)}"`, 'z'.repeat(10)]]);
    expect(count([`${header}${row}\r\n`], limits)).toBe(2);
  });

  it('leaves the field count to its caller when the header has another count', () => {
    expect(read(['a,b\r\n1,2,3\r\n'], { fields: 3 })).toEqual([['a', 'b'], ['1', '2', '3']]);
  });

  it('holds the landing contract default limits without options', () => {
    expect(failure(() => read([`a\n${'x'.repeat(4097)}\n`])).problem).toBe('FIELD_TOO_LONG');
    expect(read([`a\n${'x'.repeat(4096)}\n`])[1]?.[0]).toHaveLength(4096);
  });

  it('counts past a 40 MB field in 64 KiB chunks without holding it: refused at the limit, heap flat', () => {
    const reader = new CsvRecordReader({ fields: 2 });
    const chunk = '金'.repeat(65_536);
    reader.push('a,b\r\n1,"');
    const before = process.memoryUsage().heapUsed;
    let refused: CsvFormatError | undefined;
    for (let i = 0; i < 640 && !refused; i += 1) {
      try {
        reader.count(chunk);
      } catch (error) {
        refused = error as CsvFormatError;
      }
    }
    expect(refused?.position).toEqual({ record: 2, field: 2, limit: 4096 });
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(50 * 1024 * 1024);
  });
});
