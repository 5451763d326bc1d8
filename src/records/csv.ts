/**
 * A streaming CSV parser after RFC 4180: quoted fields, escaped quotes (`""`), delimiters and
 * line breaks inside quotes, CRLF, LF or CR line ends, a UTF-8 byte-order mark, and a header
 * row. Text arrives in chunks of any size; records come out with the file line they start on.
 */
import { createReadStream } from "node:fs";
import { OpenloopError } from "../errors.js";

/** One parsed record: its fields and the 1-based file line it starts on. */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/** Options of the CSV parser. */
export interface CsvOptions {
  /** Field delimiter, one character (default `,`). */
  delimiter?: string;
  /** File name used in error locations. */
  file?: string;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;
const BOM = 0xfeff;

/**
 * An incremental RFC 4180 parser: `push` text chunks, then `end`; each returns the records
 * completed so far. Blank lines are skipped; a quote inside an unquoted field is kept as text.
 * @example const p = new CsvParser(); p.push('a,"b ""c"""\r\n1,'); p.end() // [["a",'b "c"'],["1",""]]
 */
export class CsvParser {
  private readonly delimiter: number;
  private readonly file?: string;
  private field = "";
  private fields: string[] = [];
  private quoted = false;
  private quoteSeen = false;
  private closedQuote = false;
  private pendingCR = false;
  private started = false;
  private recordEmpty = true;
  private line = 1;
  private recordLine = 1;
  private fieldLine = 1;

  constructor(options: CsvOptions = {}) {
    const delimiter = options.delimiter ?? ",";
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
      throw new OpenloopError(
        "usage",
        `CSV delimiter must be one character other than a quote or line break`,
      );
    }
    this.delimiter = delimiter.charCodeAt(0);
    this.file = options.file;
  }

  /** Parses the next chunk of text and returns the records it completed. */
  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    const n = text.length;
    let i = 0;
    if (!this.started && n > 0) {
      this.started = true;
      if (text.charCodeAt(0) === BOM) i = 1;
    }
    if (this.pendingCR && n > 0) {
      this.pendingCR = false;
      if (text.charCodeAt(0) === LF) i = 1;
    }
    let start = i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (this.quoted) {
        if (this.quoteSeen) {
          this.quoteSeen = false;
          if (c === QUOTE) {
            this.field += '"';
            i++;
            start = i;
            continue;
          }
          this.quoted = false;
          this.closedQuote = true;
          start = i;
          continue; // the character after the closing quote is handled unquoted
        }
        if (c === QUOTE) {
          this.field += text.slice(start, i);
          this.quoteSeen = true;
          i++;
          start = i;
          continue;
        }
        if (c === LF) this.line++;
        i++;
        continue;
      }
      if (c === this.delimiter) {
        this.endField(text.slice(start, i));
        this.recordEmpty = false;
        i++;
        start = i;
        continue;
      }
      if (c === LF || c === CR) {
        this.endField(text.slice(start, i));
        this.endRecord(out);
        if (c === CR) {
          if (i + 1 < n) {
            if (text.charCodeAt(i + 1) === LF) i++;
          } else {
            this.pendingCR = true;
          }
        }
        this.line++;
        this.recordLine = this.line;
        i++;
        start = i;
        continue;
      }
      if (this.closedQuote) {
        throw new OpenloopError(
          "input",
          `malformed CSV: unexpected character '${text[i]}' after a closing quote (a quote inside a quoted field is written "")`,
          { where: { file: this.file, line: this.line } },
        );
      }
      if (c === QUOTE && start === i && this.field === "") {
        this.quoted = true;
        this.fieldLine = this.line;
        this.recordEmpty = false;
        i++;
        start = i;
        continue;
      }
      this.recordEmpty = false;
      i++;
    }
    if (!this.quoteSeen && !this.closedQuote) this.field += text.slice(start, n);
    return out;
  }

  /** Ends the input and returns the last record, if any. Throws on an unterminated quote. */
  end(): CsvRecord[] {
    if (this.quoted && !this.quoteSeen) {
      throw new OpenloopError("input", "malformed CSV: a quoted field is never closed", {
        where: { file: this.file, line: this.fieldLine },
      });
    }
    this.quoted = false;
    this.quoteSeen = false;
    const out: CsvRecord[] = [];
    this.endField("");
    this.endRecord(out);
    return out;
  }

  private endField(tail: string): void {
    this.fields.push(this.field + tail);
    this.field = "";
    this.closedQuote = false;
  }

  private endRecord(out: CsvRecord[]): void {
    const blank = this.recordEmpty && this.fields.length === 1 && this.fields[0] === "";
    if (!blank) out.push({ fields: this.fields, line: this.recordLine });
    this.fields = [];
    this.recordEmpty = true;
  }
}

/** Parses CSV text arriving as chunks into records, streaming. */
export async function* parseCsv(
  chunks: AsyncIterable<string>,
  options: CsvOptions = {},
): AsyncGenerator<CsvRecord> {
  const parser = new CsvParser(options);
  for await (const chunk of chunks) yield* parser.push(chunk);
  yield* parser.end();
}

/** A batch of data records of a CSV file with its header, as parsed from one chunk of text. */
export interface CsvBatch {
  header: string[];
  records: CsvRecord[];
}

/**
 * Reads a CSV file with a header row in batches (one per chunk of about 1 MiB of text): each
 * record has exactly as many fields as the header. Rows with a different number of fields, and
 * empty or duplicate header names, are input errors naming the file and line.
 */
export async function* readCsvBatches(
  file: string,
  options: Omit<CsvOptions, "file"> = {},
): AsyncGenerator<CsvBatch> {
  const stream = createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 });
  const parser = new CsvParser({ ...options, file });
  let header: string[] | undefined;
  const batch = (records: CsvRecord[]): CsvBatch | undefined => {
    if (header === undefined && records.length > 0) header = checkHeader(records.shift() as CsvRecord, file);
    if (header === undefined || records.length === 0) return undefined;
    for (const record of records) {
      if (record.fields.length !== header.length) {
        throw new OpenloopError(
          "input",
          `malformed CSV: the row has ${record.fields.length} fields but the header has ${header.length}`,
          { where: { file, line: record.line } },
        );
      }
    }
    return { header, records };
  };
  for await (const chunk of stream as AsyncIterable<string>) {
    const next = batch(parser.push(chunk));
    if (next !== undefined) yield next;
  }
  const last = batch(parser.end());
  if (last !== undefined) yield last;
}

/**
 * Reads a CSV file with a header row, streaming: yields each data row as an object of strings
 * keyed by the header, with the file line the row starts on.
 * @example for await (const { row, line } of readCsvRows("a.csv")) console.log(line, row.reward)
 */
export async function* readCsvRows(
  file: string,
  options: Omit<CsvOptions, "file"> = {},
): AsyncGenerator<{ row: Record<string, string>; line: number }> {
  for await (const { header, records } of readCsvBatches(file, options)) {
    for (const record of records) {
      const row: Record<string, string> = {};
      for (let j = 0; j < header.length; j++) row[header[j]] = record.fields[j];
      yield { row, line: record.line };
    }
  }
}

function checkHeader(record: CsvRecord, file: string): string[] {
  const seen = new Set<string>();
  for (const name of record.fields) {
    if (name === "") {
      throw new OpenloopError("input", "malformed CSV: the header row has an empty column name", {
        where: { file, line: record.line },
      });
    }
    if (seen.has(name)) {
      throw new OpenloopError("input", "malformed CSV: the header row names this column twice", {
        where: { file, line: record.line, column: name },
      });
    }
    seen.add(name);
  }
  return record.fields;
}
