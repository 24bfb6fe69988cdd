/**
 * A streaming RFC 4180 reader: fields separated by commas, records by CRLF or LF, fields optionally quoted with `"`
 * and quotes inside doubled. A quoted field may span lines. Chunks may split anywhere, even inside a quote pair.
 */
export class CsvRecordReader {
  #field = '';
  #record: string[] = [];
  #inQuotes = false;
  #quotePending = false;
  #afterCarriageReturn = false;
  #fieldStarted = false;

  /** Feeds text and returns the records it completed. */
  push(text: string): string[][] {
    const records: string[][] = [];
    let i = 0;
    // Fast path: at a record boundary, whole lines without quotes are split directly. Quoted fields are rare in
    // extracts; the character loop below takes over from the first line that has one.
    if (this.#atRecordBoundary()) {
      if (this.#afterCarriageReturn && text[0] === '\n') i = 1;
      this.#afterCarriageReturn = false;
      for (;;) {
        const newline = text.indexOf('\n', i);
        if (newline < 0) break;
        const end = newline > i && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
        const line = text.slice(i, end);
        if (line.includes('"') || line.includes('\r')) break;
        records.push(line.split(','));
        i = newline + 1;
      }
    }
    for (; i < text.length; i += 1) {
      const char = text[i] as string;
      if (this.#quotePending) {
        this.#quotePending = false;
        if (char === '"') {
          this.#field += '"';
          continue;
        }
        this.#inQuotes = false;
      }
      if (this.#inQuotes) {
        if (char === '"') this.#quotePending = true;
        else this.#field += char;
        continue;
      }
      if (this.#afterCarriageReturn) {
        this.#afterCarriageReturn = false;
        if (char === '\n') continue;
      }
      switch (char) {
        case '"':
          if (!this.#fieldStarted && this.#field === '') this.#inQuotes = true;
          else this.#field += char;
          this.#fieldStarted = true;
          break;
        case ',':
          this.#record.push(this.#field);
          this.#field = '';
          this.#fieldStarted = false;
          break;
        case '\r':
        case '\n':
          this.#afterCarriageReturn = char === '\r';
          records.push(this.#endRecord());
          break;
        default:
          this.#field += char;
          this.#fieldStarted = true;
      }
    }
    return records;
  }

  #atRecordBoundary(): boolean {
    return !this.#inQuotes && !this.#quotePending && !this.#fieldStarted && this.#field === '' && this.#record.length === 0;
  }

  /** Ends the input: returns the last record if the text did not end with a line break. */
  end(): string[][] {
    if (this.#quotePending) {
      this.#quotePending = false;
      this.#inQuotes = false;
    }
    if (this.#inQuotes) throw new Error('the file ends inside a quoted field');
    return this.#fieldStarted || this.#field !== '' || this.#record.length > 0 ? [this.#endRecord()] : [];
  }

  #endRecord(): string[] {
    this.#record.push(this.#field);
    const record = this.#record;
    this.#record = [];
    this.#field = '';
    this.#fieldStarted = false;
    return record;
  }
}
