import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { simpleRecords, splitLine } from '../../src/normalise/read-table.js';

const OPTIONS = { info: true, relax_column_count: true, skip_empty_lines: true, skip_records_with_empty_values: true, trim: true } as const;

/** What csv-parse makes of the text, fed chunk by chunk as a stream would (each chunk to UTF-8 on its own). */
function csvParse(chunks: string[], delimiter: ',' | ';' | '\t') {
  const bytes = Buffer.concat(chunks.map((c) => Buffer.from(c, 'utf8')));
  const records = parse(bytes, { ...OPTIONS, delimiter }) as unknown as { record: string[]; info: { lines: number } }[];
  return records.map((r) => ({ line: r.info.lines, fields: r.record }));
}

async function simple(chunks: string[], delimiter: ',' | ';' | '\t') {
  async function* source() {
    yield* chunks;
  }
  const out = [];
  for await (const r of simpleRecords(source(), delimiter)) out.push(r);
  return out;
}

/** Cut text into chunks at the given points. */
function cut(text: string, points: number[]): string[] {
  const at = [...new Set(points.map((p) => p % (text.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let from = 0;
  for (const p of at) {
    chunks.push(text.slice(from, p));
    from = p;
  }
  chunks.push(text.slice(from));
  return chunks;
}

describe('simpleRecords (text without quotes)', () => {
  const pieces = ['a', 'Phường', 'ề', '12', ' ', '  ', '\t', '\f', '\u00a0', '\u2009', '\ufeff', ';', ',', '\n', '\n', '\n', '\r', '\ud83d\ude00', '\ud83d', '\ude00'];

  it('gives the records, cells and lines csv-parse gives (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...pieces), { maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.constantFrom(';', ',', '\t'),
        async (parts, points, delimiter: ';' | ',' | '\t') => {
          const chunks = cut(parts.join(''), points);
          expect(await simple(chunks, delimiter)).toEqual(csvParse(chunks, delimiter));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('keeps line numbers after a lone CR hands the rest to csv-parse', async () => {
    const chunks = ['h1;h2\n\nx;1\n', 'y;2\rz;3\n', 'w;4\n'];
    expect(await simple(chunks, ';')).toEqual(csvParse(chunks, ';'));
    expect((await simple(chunks, ';')).map((r) => r.line)).toEqual([1, 3, 5, 6]);
  });
});

describe('splitLine', () => {
  it('trims as csv-parse does and skips a line of empty cells', () => {
    expect(splitLine('  a ; b\u00a0;\tc\t', ';')).toEqual(['a', 'b', 'c']);
    expect(splitLine('\u00a0a', ';')).toEqual(['\u00a0a']); // only space, tab and form feed go before the text
    expect(splitLine(' ; \u00a0 ;', ';')).toBeNull();
    expect(splitLine('', ';')).toBeNull();
  });
});
