// Streams a submitted file as CSV records: encoding and delimiter detected, text NFC.
// Memory stays flat whatever the file size.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { parse } from 'csv-parse';
import { decoder, detectDelimiter, detectEncoding, type TextEncoding } from './decode.js';

export interface TableRecord {
  line: number; // line of the file where the record ends (the header is line 1 in simple files)
  fields: string[];
}

export interface OpenedTable {
  encoding: TextEncoding;
  delimiter: ',' | ';' | '\t';
  records: AsyncGenerator<TableRecord>;
}

type Delimiter = OpenedTable['delimiter'];

/** Lines read to pick the delimiter: a title or two, the header, a row. */
const DELIMITER_LINES = 5;
/**
 * The longest line read: a table's widest row is some kilobytes. A file of one endless line (a
 * binary saved as .csv, a column pasted as one row) is UNREADABLE_FILE at this length instead of
 * being gathered whole: a 40 MB line took 54 s and 800 MB.
 */
export const MAX_LINE_CHARS = 1024 * 1024;

async function readHead(filePath: string, bytes = 64 * 1024): Promise<Buffer> {
  const handle = await open(filePath, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Does the file hold this byte anywhere? Reads it once through one reused buffer. */
async function containsByte(filePath: string, byte: number): Promise<boolean> {
  const handle = await open(filePath, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1024 * 1024);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return false;
      if (buffer.subarray(0, bytesRead).includes(byte)) return true;
    }
  } finally {
    await handle.close();
  }
}

// '"' is byte 0x22 in every encoding we read (UTF-8, Windows-1258, and one of the two bytes in UTF-16).
const QUOTE_BYTE = 0x22;

export async function openTable(filePath: string): Promise<OpenedTable> {
  const encoding = detectEncoding(await readHead(filePath));
  const quoted = await containsByte(filePath, QUOTE_BYTE);
  const text = createReadStream(filePath).pipe(decoder(encoding));
  const chunks = text[Symbol.asyncIterator]() as AsyncIterator<string>;

  // Read the first lines to pick the delimiter (csv-parse's own detection mishandles BOMs and
  // Vietnamese text). Not the first line alone: a title above the header ("BÁO CÁO THU NGÂN
  // SÁCH 6 THÁNG") has none, and the file then read as tab-separated.
  let buffered = '';
  let done = false;
  while ((buffered.match(/\r\n|\r|\n/g)?.length ?? 0) < DELIMITER_LINES && buffered.length < MAX_LINE_CHARS) {
    const next = await chunks.next();
    if (next.done) {
      done = true;
      break;
    }
    buffered += next.value;
  }
  const firstLines = buffered.replace(/^\uFEFF/, '').split(/\r?\n|\r/).slice(0, DELIMITER_LINES);
  const delimiter = detectDelimiter(firstLines);

  // CRLF becomes LF before parsing: csv-parse counts a CRLF inside a quoted cell as two lines,
  // which would put every later error report line off by one. A CR at a chunk's end waits.
  async function* all(): AsyncGenerator<string> {
    let carry = '';
    const normalised = (text: string) => {
      const joined = carry + text;
      carry = joined.endsWith('\r') ? '\r' : '';
      return (carry ? joined.slice(0, -1) : joined).replace(/\r\n/g, '\n');
    };
    yield normalised(buffered.replace(/^\uFEFF/, ''));
    if (!done) for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield normalised(next.value);
    if (carry) yield carry;
  }
  // A file without a single quote cannot hold a quoted cell nor a quoting error: its lines are
  // split directly, many times faster than csv-parse, which reads any other file.
  // Each reader closes the file when it ends or the caller stops early (no wrapping generator:
  // every extra layer costs a few promises per record).
  const close = () => void text.destroy();
  const records = quoted ? csvRecords(all(), delimiter, close) : simpleRecords(all(), delimiter, close);
  return { encoding, delimiter, records };
}

/** csv-parse over the text, with the options every file is read with. */
async function* csvRecords(source: AsyncGenerator<string>, delimiter: Delimiter, close: () => void): AsyncGenerator<TableRecord> {
  const parser = parse({
    delimiter,
    info: true,
    relax_column_count: true,
    max_record_size: MAX_LINE_CHARS,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    trim: true,
  });
  // pipeline() forwards a failure of any part to the parser (so the reader below sees it) and
  // tears every part down when the reader stops early.
  pipeline(Readable.from(source), parser, () => undefined);
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { line: item.info.lines, fields: item.record };
    }
  } finally {
    parser.destroy();
    close();
  }
}

/**
 * Records of text without quotes, exactly as csvRecords would give them: one record per LF-ended
 * line, empty lines and lines of empty cells skipped. A line holding a lone CR (csv-parse counts it
 * as a line of its own) hands the rest of the file to csvRecords, preceded by as many empty lines
 * as came before, so its line numbers and record delimiter are those it would have had.
 */
export async function* simpleRecords(
  source: AsyncGenerator<string>,
  delimiter: Delimiter,
  close: () => void = () => undefined,
): AsyncGenerator<TableRecord> {
  try {
    let line = 1;
    let rest = '';
    for (let next = await source.next(); !next.done; next = await source.next()) {
      const chunk = rest + wellFormed(next.value);
      let start = 0;
      for (let end = chunk.indexOf('\n', start); end >= 0; end = chunk.indexOf('\n', start)) {
        const text = chunk.slice(start, end);
        if (text.includes('\r')) {
          yield* csvRecords(resumed(line, chunk.slice(start), source), delimiter, close);
          return;
        }
        const fields = splitLine(text, delimiter);
        if (fields) yield { line, fields };
        line++;
        start = end + 1;
      }
      rest = chunk.slice(start);
      if (rest.length > MAX_LINE_CHARS) throw new Error(`line ${line} is longer than ${MAX_LINE_CHARS} characters`);
    }
    if (rest.includes('\r')) yield* csvRecords(resumed(line, rest, source), delimiter, close);
    else {
      const fields = splitLine(rest, delimiter);
      if (fields) yield { line, fields };
    }
  } finally {
    close();
  }
}

/** The rest of the text from the start of line `line`, after line - 1 empty lines. */
async function* resumed(line: number, head: string, source: AsyncGenerator<string>): AsyncGenerator<string> {
  const LINES_PER_CHUNK = 64 * 1024;
  for (let left = line - 1; left > 0; left -= LINES_PER_CHUNK) yield '\n'.repeat(Math.min(left, LINES_PER_CHUNK));
  yield head;
  for (let next = await source.next(); !next.done; next = await source.next()) yield wellFormed(next.value);
}

const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A lone surrogate becomes U+FFFD, as it does on its way through csv-parse (text → UTF-8 bytes). */
function wellFormed(text: string): string {
  return SURROGATE.test(text) ? text.replace(LONE_SURROGATE, '\uFFFD') : text;
}

/**
 * The cells of one line, trimmed as csv-parse's `trim` does (space, tab and form feed before the
 * text, any white space after it), or null for a line csv-parse skips (no cell with text).
 */
export function splitLine(text: string, delimiter: Delimiter): string[] | null {
  const fields = text.split(delimiter);
  let empty = true;
  for (let i = 0; i < fields.length; i++) {
    const field = trimField(fields[i]!);
    fields[i] = field;
    // Trimmed at its end, a cell with any text left ends in a non-space: field.trim() !== ''.
    if (field !== '') empty = false;
  }
  return empty ? null : fields;
}

function trimField(field: string): string {
  let start = 0;
  for (let c = field.charCodeAt(0); c === 0x20 || c === 0x09 || c === 0x0c; c = field.charCodeAt(++start));
  return (start === 0 ? field : field.slice(start)).trimEnd();
}
