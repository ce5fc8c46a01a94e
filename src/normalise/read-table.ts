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

export async function openTable(filePath: string): Promise<OpenedTable> {
  const encoding = detectEncoding(await readHead(filePath));
  const text = createReadStream(filePath).pipe(decoder(encoding));
  const chunks = text[Symbol.asyncIterator]() as AsyncIterator<string>;

  // Read up to the first line break to pick the delimiter (csv-parse's own detection
  // mishandles BOMs and Vietnamese text).
  let buffered = '';
  let done = false;
  while (!/[\r\n]/.test(buffered)) {
    const next = await chunks.next();
    if (next.done) {
      done = true;
      break;
    }
    buffered += next.value;
  }
  const firstLine = buffered.split(/\r?\n|\r/, 1)[0] ?? '';
  const delimiter = detectDelimiter(firstLine.replace(/^\uFEFF/, ''));

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
  const parser = parse({
    delimiter,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    trim: true,
  });
  // pipeline() forwards a failure of any part to the parser (so the reader below sees it) and
  // tears every part down when the reader stops early.
  pipeline(Readable.from(all()), parser, () => undefined);
  async function* records(): AsyncGenerator<TableRecord> {
    try {
      for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        yield { line: item.info.lines, fields: item.record };
      }
    } finally {
      parser.destroy();
      text.destroy();
    }
  }
  return { encoding, delimiter, records: records() };
}
