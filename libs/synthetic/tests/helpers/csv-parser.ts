/**
 * A small, strict RFC 4180 parser for tests (independent of the code under test): fields separated by commas,
 * records by CRLF or LF, double-quoted fields may hold commas, quotes (doubled) and line breaks. A final line break
 * does not start an empty record.
 *
 * @throws Error on a quote inside an unquoted field, text after a closing quote, or an unterminated quoted field
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  let atFieldStart = true;
  const endField = (): void => {
    record.push(field);
    field = '';
    atFieldStart = true;
  };
  const endRecord = (): void => {
    endField();
    records.push(record);
    record = [];
  };
  while (i < text.length) {
    const ch = text[i] as string;
    if (atFieldStart && ch === '"') {
      // Quoted field.
      i += 1;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        const q = text[i] as string;
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        field += q;
        i += 1;
      }
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') throw new Error(`text after a closing quote at ${i}`);
      atFieldStart = false;
      continue;
    }
    atFieldStart = false;
    if (ch === ',') {
      endField();
      i += 1;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      endRecord();
      i += 2;
    } else if (ch === '\n') {
      endRecord();
      i += 1;
    } else if (ch === '"') {
      throw new Error(`quote inside an unquoted field at ${i}`);
    } else {
      field += ch;
      i += 1;
    }
  }
  if (!atFieldStart || field !== '' || record.length > 0) endRecord();
  return records;
}
