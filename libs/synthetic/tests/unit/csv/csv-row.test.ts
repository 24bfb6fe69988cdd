import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CSV_LINE_END, csvField } from '../../../src/index';
import { formatCsvRow } from '../../../src/csv/csv-row';
import { parseCsv } from '../../helpers/csv-parser';

describe('Function: csvField', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['好市多 Costco, 內湖店', '"好市多 Costco, 內湖店"'],
    ['"老王"牛肉麵', '"""老王""牛肉麵"'],
    ['line\nbreak', '"line\nbreak"'],
    ['cr\rhere', '"cr\rhere"'],
    [' padded ', ' padded '],
  ])('writes %j as %j', (value, written) => {
    expect(csvField(value)).toBe(written);
  });
});

describe('Function: formatCsvRow', () => {
  it('ends every record with CRLF', () => {
    expect(CSV_LINE_END).toBe('\r\n');
    expect(formatCsvRow(['a', 'b,c', ''])).toBe('a,"b,c",\r\n');
  });

  it('round-trips any fields through an RFC 4180 parser', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.oneof(fc.string(), fc.constantFrom('"', ',', '\r\n', '\n', '臺北市', '　')), { minLength: 2, maxLength: 6 }), { minLength: 1, maxLength: 5 }),
        (rows) => {
          expect(parseCsv(rows.map((row) => formatCsvRow(row)).join(''))).toEqual(rows);
        },
      ),
    );
  });
});
