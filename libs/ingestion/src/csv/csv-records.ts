const LF = 10;

/**
 * A streaming RFC 4180 reader: fields separated by commas, records by CRLF or LF, fields optionally quoted with `"`
 * and quotes inside doubled. A quoted field may span lines. Chunks may split anywhere, even inside a quote pair.
 *
 * Lines without quotes (nearly all of an extract) take a fast path: found with `indexOf` and split whole, or only
 * counted. The character loop handles a line with a quote or a stray CR, then hands back to the fast path at the next
 * record boundary.
 */
export class CsvRecordReader {
  #field = '';
  #record: string[] = [];
  #inQuotes = false;
  #quotePending = false;
  #afterCarriageReturn = false;
  #fieldStarted = false;

  /** Feeds text and returns the records it completed. A blank line is the record `['']`. */
  push(text: string): string[][] {
    const records: string[][] = [];
    this.#scan(
      text,
      (start, end) => records.push(text.slice(start, end).split(',')),
      (record) => records.push(record),
    );
    return records;
  }

  /** Feeds text and returns how many non-blank records it completed, without building them: for verification. */
  count(text: string): number {
    let count = 0;
    this.#scan(
      text,
      (start, end) => {
        if (end > start) count += 1;
      },
      (record) => {
        if (!(record.length === 1 && record[0] === '')) count += 1;
      },
    );
    return count;
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

  /**
   * @param onLine - a whole quote-free line `text[start, end)` (line break excluded)
   * @param onRecord - a record the character loop built
   */
  #scan(text: string, onLine: (start: number, end: number) => void, onRecord: (record: string[]) => void): void {
    let i = 0;
    // Next quote and CR at or after i; -1 once there are none left in this text.
    let quote = text.indexOf('"');
    let carriageReturn = text.indexOf('\r');
    while (i < text.length) {
      if (this.#atRecordBoundary()) {
        if (this.#afterCarriageReturn) {
          this.#afterCarriageReturn = false;
          if (text.charCodeAt(i) === LF) i += 1;
        }
        for (;;) {
          const newline = text.indexOf('\n', i);
          if (newline < 0) break;
          if (quote !== -1 && quote < i) quote = text.indexOf('"', i);
          if (quote !== -1 && quote < newline) break;
          if (carriageReturn !== -1 && carriageReturn < i) carriageReturn = text.indexOf('\r', i);
          let end = newline;
          if (carriageReturn !== -1 && carriageReturn < newline) {
            if (carriageReturn !== newline - 1) break;
            end = newline - 1;
          }
          onLine(i, end);
          i = newline + 1;
        }
      }
      i = this.#scanCharacters(text, i, onRecord);
    }
  }

  /** The character loop, from `i` until it completes a record (returns the index after it) or the text ends. */
  #scanCharacters(text: string, from: number, onRecord: (record: string[]) => void): number {
    for (let i = from; i < text.length; i += 1) {
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
          onRecord(this.#endRecord());
          return i + 1;
        default:
          this.#field += char;
          this.#fieldStarted = true;
      }
    }
    return text.length;
  }

  #atRecordBoundary(): boolean {
    return !this.#inQuotes && !this.#quotePending && !this.#fieldStarted && this.#field === '' && this.#record.length === 0;
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
