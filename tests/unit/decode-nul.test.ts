// Decoded submissions never carry U+0000: Postgres text cannot store it, and a NUL that reached an
// error message or a note made storing the file's outcome fail (see
// tests/integration/submissions-fuzz.test.ts).
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { decoder, encodeWindows1258, type TextEncoding } from '../../src/normalise/decode.js';

async function decodeChunked(bytes: Buffer, encoding: TextEncoding, size: number): Promise<string> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  let out = '';
  await pipeline(Readable.from(chunks), decoder(encoding), async (source: AsyncIterable<string>) => {
    for await (const chunk of source) out += chunk;
  });
  return out;
}

const encoders: Record<TextEncoding, (s: string) => Buffer> = {
  utf8: (s) => Buffer.from(s, 'utf8'),
  utf16le: (s) => Buffer.from(s, 'utf16le'),
  utf16be: (s) => iconv.encode(s, 'utf16be'),
  windows1258: (s) => encodeWindows1258(s),
};

describe('decoder and NUL characters', () => {
  it.each(Object.keys(encoders) as TextEncoding[])('%s: a NUL comes out as U+FFFD, the rest unchanged', async (encoding) => {
    const bytes = encoders[encoding]('Giá trị;Ghi chú\n1\u0000;a\u0000\u0000b\n');
    expect(await decodeChunked(bytes, encoding, 3)).toBe('Giá trị;Ghi chú\n1\uFFFD;a\uFFFD\uFFFDb\n');
  });

  it('never yields U+0000 for any bytes, in any encoding, at any chunk size (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.constantFrom<TextEncoding>('utf8', 'utf16le', 'utf16be', 'windows1258'), fc.integer({ min: 1, max: 17 }), async (bytes, encoding, size) => {
        expect(await decodeChunked(Buffer.from(bytes), encoding, size)).not.toContain('\u0000');
      }),
      { numRuns: 200, seed: 42 },
    );
  });
});
