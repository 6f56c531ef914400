import { CsvError, parse } from 'csv-parse/sync';

/** One CSV record with the 1-based line on which it starts (quoted fields may span lines), which errors must cite. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: readonly string[];
}

export type CsvDelimiter = ',' | ';';

/** The file read, or where it stops being CSV (an unclosed quote, a quote inside an unquoted field, …). */
export type CsvReading =
  | { readonly ok: true; readonly records: readonly CsvRecord[]; readonly delimiter: CsvDelimiter }
  | { readonly ok: false; readonly line: number; /** 1-based field number. */ readonly field: number; readonly message: string };

/**
 * The one CSV reader of the project (client batches, the person register): RFC 4180 on csv-parse — quoted fields
 * with delimiters and line breaks, doubled quotes, CRLF or LF, a leading BOM — keeping the line each record starts
 * on. Rows may have fewer or more fields than the header (the callers say which column is missing). Blank lines
 * and lines of only blanks are skipped. Never throws on bad input: it says where the file stops being CSV.
 * @param delimiter - `,` or `;`; default: whichever occurs more often on the first line (Excel in Belgium writes `;`)
 * @example readCsv('insz;firstname\n85071412330;Jan\n') // ok, records [{ line: 1, … }, { line: 2, … }]
 */
export function readCsv(text: string, delimiter?: CsvDelimiter): CsvReading {
  const sep = delimiter ?? guessDelimiter(text);
  // Read as bytes: csv-parse reports where each record ends in bytes, which stays exact where its line count does
  // not (it counts a CRLF inside a quoted field as two lines).
  const bytes = Buffer.from(text, 'utf8');
  const lines = new LineCounter(bytes);
  let rows: { record: string[]; info: { bytes: number } }[];
  try {
    rows = parse(bytes, {
      delimiter: sep,
      record_delimiter: ['\r\n', '\n'],
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
    }) as unknown as typeof rows;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const at = error as CsvError & { bytes?: number; column?: number | string };
    return {
      ok: false,
      line: lines.lineAt(firstContent(bytes, at.bytes ?? 0)),
      field: typeof at.column === 'number' ? at.column + 1 : 1,
      message: describe(error),
    };
  }
  let end = 0;
  const records = rows.map(({ record, info }) => {
    const line = lines.lineAt(firstContent(bytes, end));
    end = info.bytes;
    return { line, fields: record };
  });
  return { ok: true, records, delimiter: sep };
}

/** The first byte of a record that starts at or after `from`: past the blank lines csv-parse skipped (and a BOM). */
function firstContent(bytes: Buffer, from: number): number {
  let i = from === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : from;
  while (i < bytes.length && (bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x20 || bytes[i] === 0x09)) i += 1;
  return i;
}

/** 1-based line of a byte offset; offsets are asked in increasing order, so the file is scanned once. */
class LineCounter {
  readonly #bytes: Buffer;
  #offset = 0;
  #line = 1;

  constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }

  lineAt(offset: number): number {
    if (offset < this.#offset) {
      this.#offset = 0;
      this.#line = 1;
    }
    for (let i = this.#bytes.indexOf(0x0a, this.#offset); i >= 0 && i < offset; i = this.#bytes.indexOf(0x0a, i + 1)) this.#line += 1;
    this.#offset = offset;
    return this.#line;
  }
}

function guessDelimiter(text: string): CsvDelimiter {
  const end = text.indexOf('\n');
  const firstLine = end < 0 ? text : text.slice(0, end);
  return (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
}

/** csv-parse's sentence without its own "at line N" (the caller names the line in the project's way). */
function describe(error: CsvError): string {
  const named: Partial<Record<string, string>> = {
    CSV_QUOTE_NOT_CLOSED: 'a quoted field that starts on this line is not closed before the end of the file',
    INVALID_OPENING_QUOTE: 'a quote inside an unquoted field (quote the whole field and double the quote)',
    CSV_INVALID_CLOSING_QUOTE: 'text after a closing quote (double a quote inside a quoted field)',
  };
  return named[error.code] ?? error.message;
}
