import type { LandingCsvLimits } from '@cur/contracts';
import { DEFAULT_LANDING_CSV_LIMITS } from '@cur/contracts';
import { CsvFormatError, type CsvFormatProblem } from './csv-format-error';

const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const LF = 10;

/** Where the character loop is within a record. */
const STATE = {
  /** At the start of a field: nothing of it read yet. */
  FIELD_START: 0,
  /** Inside a field that did not start with a quote. */
  UNQUOTED: 1,
  /** Inside a quoted field. */
  QUOTED: 2,
  /** Just after a quote inside a quoted field: a second quote is an escaped one, anything else closes the field. */
  QUOTE_PENDING: 3,
} as const;

type State = (typeof STATE)[keyof typeof STATE];

/** Options of {@link CsvRecordReader}. */
export interface CsvRecordReaderOptions {
  /** @default DEFAULT_LANDING_CSV_LIMITS (4,096 characters a field, 65,536 a record) */
  readonly limits?: LandingCsvLimits;
  /**
   * Fields every non-blank record after the first must have. The first is the header, which its caller checks: when
   * the header has another count, the records are not held to it. @default any
   */
  readonly fields?: number;
}

/**
 * A streaming RFC 4180 reader: fields separated by commas, records by CRLF, LF or CR, fields optionally quoted with
 * `"` and quotes inside doubled. A quoted field may span lines. Chunks may split anywhere, even inside a quote pair.
 * Strict where RFC 4180 is: a quote inside an unquoted field, or text after a closing quote, is an error, as is a
 * field or record past the contract's limits or a record with the wrong number of fields; each throws a
 * {@link CsvFormatError} naming the record and field, never the content.
 *
 * Memory stays bounded whatever the input: text is consumed in slices found with `indexOf` (never a character at a
 * time into a string), {@link count} builds no strings at all, and a field is refused as soon as it passes the
 * limit, so no more than one limit's worth of a field is ever held. Lines without quotes (nearly all of an extract)
 * take a fast path: found with `indexOf` and split whole, or only counted.
 */
export class CsvRecordReader {
  readonly #maxField: number;
  readonly #maxRecord: number;
  readonly #expectedFields: number | undefined;
  #state: State = STATE.FIELD_START;
  #afterCarriageReturn = false;
  /** Completed fields of the current record; built only by {@link push}. */
  #record: string[] = [];
  /** The current field so far; built only by {@link push}. */
  #field = '';
  #fields = 0;
  #fieldChars = 0;
  #recordChars = 0;
  /** Records completed so far, blank ones included. */
  #records = 0;
  #headerFields = 0;
  #build = true;

  constructor(options: CsvRecordReaderOptions = {}) {
    const limits = options.limits ?? DEFAULT_LANDING_CSV_LIMITS;
    this.#maxField = limits.maxFieldChars;
    this.#maxRecord = limits.maxRecordChars;
    this.#expectedFields = options.fields;
  }

  /** Feeds text and returns the records it completed. A blank line is the record `['']`. */
  push(text: string): string[][] {
    const records: string[][] = [];
    this.#build = true;
    this.#scan(text, (record) => records.push(record as string[]));
    return records;
  }

  /**
   * Feeds text and returns how many non-blank records it completed, without building them: for verification. Once a
   * reader counts, it must not {@link push} again in the same file (the record in progress is not built).
   */
  count(text: string): number {
    let count = 0;
    this.#build = false;
    this.#scan(text, (_record, blank) => {
      if (!blank) count += 1;
    });
    return count;
  }

  /** Ends the input: returns the last record if the text did not end with a line break. */
  end(): string[][] {
    const records: string[][] = [];
    this.#finish((record) => records.push(record as string[]));
    return records;
  }

  /** Ends the input of a counting reader: 1 if the text ended with a non-blank record and no line break, else 0. */
  endCount(): number {
    let count = 0;
    this.#build = false;
    this.#finish((_record, blank) => {
      if (!blank) count += 1;
    });
    return count;
  }

  #finish(onRecord: (record: string[] | undefined, blank: boolean) => void): void {
    if (this.#state === STATE.QUOTED) this.#fail('UNCLOSED_QUOTE', { field: this.#fields + 1 });
    if (this.#state !== STATE.FIELD_START || this.#fields > 0 || this.#fieldChars > 0) this.#endRecord(onRecord);
  }

  #scan(text: string, onRecord: (record: string[] | undefined, blank: boolean) => void): void {
    let i = 0;
    // Next quote, CR and comma at or after i; -1 once there are none left in this text. Commas are only kept up to
    // date when counting.
    let quote = text.indexOf('"');
    let carriageReturn = text.indexOf('\r');
    let comma = text.indexOf(',');
    while (i < text.length) {
      if (this.#state === STATE.FIELD_START && this.#fields === 0) {
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
          comma = this.#line(text, i, end, comma, onRecord);
          i = newline + 1;
        }
        if (i >= text.length) break;
      }
      i = this.#scanCharacters(text, i, onRecord);
    }
  }

  /**
   * The fast path: a whole quote-free line `text[start, end)`. Checks the limits and the field count (from the split
   * record, or from the comma positions when only counting), then hands over the record.
   *
   * @param comma - -1 when the text has no comma left, else the first comma at or after some position up to here
   * @returns the same, for the text after the line
   */
  #line(text: string, start: number, end: number, comma: number, onRecord: (record: string[] | undefined, blank: boolean) => void): number {
    const length = end - start;
    let record: string[] | undefined;
    let fields = 1;
    // The first field past the limit, and its offset in the line where the character loop would have found it.
    let fieldOver = 0;
    let fieldOverAt = Infinity;
    if (this.#build) {
      record = text.slice(start, end).split(',');
      fields = record.length;
      if (length > this.#maxField) {
        let offset = 0;
        for (let k = 0; k < record.length && fieldOver === 0; k += 1) {
          const fieldLength = (record[k] as string).length;
          if (fieldLength > this.#maxField) [fieldOver, fieldOverAt] = [k + 1, offset + this.#maxField];
          offset += fieldLength + 1;
        }
      }
    } else if (length > this.#maxField || this.#expectedFields !== undefined) {
      if (comma !== -1 && comma < start) comma = text.indexOf(',', start);
      let fieldStart = start;
      while (comma !== -1 && comma < end) {
        if (fieldOver === 0 && comma - fieldStart > this.#maxField) [fieldOver, fieldOverAt] = [fields, fieldStart - start + this.#maxField];
        fields += 1;
        fieldStart = comma + 1;
        comma = text.indexOf(',', fieldStart);
      }
      if (fieldOver === 0 && end - fieldStart > this.#maxField) [fieldOver, fieldOverAt] = [fields, fieldStart - start + this.#maxField];
    }
    const recordOverAt = length > this.#maxRecord ? this.#maxRecord : Infinity;
    if (fieldOver !== 0 && fieldOverAt <= recordOverAt) this.#fail('FIELD_TOO_LONG', { field: fieldOver, limit: this.#maxField });
    if (recordOverAt !== Infinity) this.#fail('RECORD_TOO_LONG', { limit: this.#maxRecord });
    const blank = length === 0;
    this.#checkFieldCount(fields, blank);
    this.#records += 1;
    onRecord(record, blank);
    return comma;
  }

  /** The character loop, from `from` until it completes a record (returns the index after it) or the text ends. */
  #scanCharacters(text: string, from: number, onRecord: (record: string[] | undefined, blank: boolean) => void): number {
    const length = text.length;
    let i = from;
    while (i < length) {
      switch (this.#state) {
        case STATE.FIELD_START:
          if (text.charCodeAt(i) === QUOTE) {
            this.#state = STATE.QUOTED;
            i += 1;
          } else {
            this.#state = STATE.UNQUOTED;
          }
          break;
        case STATE.UNQUOTED: {
          // Look no further than one character past the limit: a huge field is refused without being scanned whole.
          const stop = Math.min(length, i + this.#maxField - this.#fieldChars + 1);
          let j = i;
          for (; j < stop; j += 1) {
            const code = text.charCodeAt(j);
            if (code === COMMA || code === QUOTE || code === CR || code === LF) break;
          }
          this.#take(text, i, j);
          i = j;
          if (j === length) return length;
          const code = text.charCodeAt(j);
          if (code === QUOTE) this.#fail('QUOTE_IN_UNQUOTED_FIELD', { field: this.#fields + 1 });
          if (code === COMMA) {
            this.#endField();
            i += 1;
            break;
          }
          this.#afterCarriageReturn = code === CR;
          this.#endRecord(onRecord);
          return j + 1;
        }
        case STATE.QUOTED: {
          const quote = text.indexOf('"', i);
          const end = quote === -1 ? length : quote;
          this.#take(text, i, end);
          if (quote === -1) return length;
          this.#state = STATE.QUOTE_PENDING;
          i = quote + 1;
          break;
        }
        case STATE.QUOTE_PENDING: {
          const code = text.charCodeAt(i);
          if (code === QUOTE) {
            this.#take(text, i, i + 1);
            this.#state = STATE.QUOTED;
            i += 1;
          } else if (code === COMMA) {
            this.#endField();
            i += 1;
          } else if (code === CR || code === LF) {
            this.#afterCarriageReturn = code === CR;
            this.#endRecord(onRecord);
            return i + 1;
          } else {
            this.#fail('TEXT_AFTER_CLOSING_QUOTE', { field: this.#fields + 1 });
          }
          break;
        }
      }
    }
    return length;
  }

  /** Adds `text[start, end)` to the current field, refusing it first if it would pass a limit. */
  #take(text: string, start: number, end: number): void {
    const added = end - start;
    if (added === 0) return;
    const fieldOverAt = this.#fieldChars + added > this.#maxField ? this.#maxField - this.#fieldChars : Infinity;
    const recordOverAt = this.#recordChars + added > this.#maxRecord ? this.#maxRecord - this.#recordChars : Infinity;
    if (fieldOverAt !== Infinity && fieldOverAt <= recordOverAt) this.#fail('FIELD_TOO_LONG', { field: this.#fields + 1, limit: this.#maxField });
    if (recordOverAt !== Infinity) this.#fail('RECORD_TOO_LONG', { limit: this.#maxRecord });
    this.#fieldChars += added;
    this.#recordChars += added;
    if (this.#build) this.#field += text.slice(start, end);
  }

  #endField(): void {
    if (this.#recordChars + 1 > this.#maxRecord) this.#fail('RECORD_TOO_LONG', { limit: this.#maxRecord });
    this.#recordChars += 1;
    if (this.#build) this.#record.push(this.#field);
    this.#field = '';
    this.#fields += 1;
    this.#fieldChars = 0;
    this.#state = STATE.FIELD_START;
  }

  #endRecord(onRecord: (record: string[] | undefined, blank: boolean) => void): void {
    const blank = this.#fields === 0 && this.#fieldChars === 0;
    this.#checkFieldCount(this.#fields + 1, blank);
    let record: string[] | undefined;
    if (this.#build) {
      this.#record.push(this.#field);
      record = this.#record;
    }
    this.#record = [];
    this.#field = '';
    this.#fields = 0;
    this.#fieldChars = 0;
    this.#recordChars = 0;
    this.#state = STATE.FIELD_START;
    this.#records += 1;
    onRecord(record, blank);
  }

  #checkFieldCount(fields: number, blank: boolean): void {
    if (this.#records === 0) {
      // A header with another count is its caller's to reject (a clearer reason than the first data row's count).
      this.#headerFields = fields;
      return;
    }
    if (this.#expectedFields === undefined || blank || fields === this.#expectedFields || this.#headerFields !== this.#expectedFields) return;
    this.#fail('FIELD_COUNT', { fields, limit: this.#expectedFields });
  }

  #fail(problem: CsvFormatProblem, position: { field?: number; fields?: number; limit?: number }): never {
    throw new CsvFormatError(problem, { record: this.#records + 1, ...position });
  }
}
