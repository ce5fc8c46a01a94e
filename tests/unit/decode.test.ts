import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  decoder,
  detectDelimiter,
  detectEncoding,
  encodeWindows1258,
  lastBaseIndex,
  type TextEncoding,
} from '../../src/normalise/decode.js';

const TEXT = 'Mã đơn vị\tMã chỉ tiêu\tKỳ\tGiá trị\nPhường Hòa Khánh Bắc\tTHU_NS\t2022S1\t1.348,9\nXã Hòa Tiến\tHO_NGHEO\tQuý II/2022\t2,5%\n';

const BOM = {
  utf8: Buffer.from([0xef, 0xbb, 0xbf]),
  utf16le: Buffer.from([0xff, 0xfe]),
  utf16be: Buffer.from([0xfe, 0xff]),
};

/** Feed bytes through decoder() in chunks of `size` bytes and collect the text. */
async function decodeChunked(bytes: Buffer, encoding: TextEncoding, size: number): Promise<string> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  let out = '';
  await pipeline(Readable.from(chunks), decoder(encoding), async function (source: AsyncIterable<string | Buffer>) {
    for await (const chunk of source) {
      expect(typeof chunk).toBe('string');
      out += chunk;
    }
  });
  return out;
}

const samples: Array<[string, Buffer, TextEncoding]> = [
  ['UTF-16LE with BOM (Excel "Unicode text", tab separated)', Buffer.concat([BOM.utf16le, iconv.encode(TEXT, 'utf16le')]), 'utf16le'],
  ['UTF-16BE with BOM', Buffer.concat([BOM.utf16be, iconv.encode(TEXT, 'utf16be')]), 'utf16be'],
  ['UTF-16LE without BOM', iconv.encode(TEXT, 'utf16le'), 'utf16le'],
  ['UTF-16BE without BOM', iconv.encode(TEXT, 'utf16be'), 'utf16be'],
  ['UTF-8 with BOM', Buffer.concat([BOM.utf8, Buffer.from(TEXT, 'utf8')]), 'utf8'],
  ['UTF-8 without BOM', Buffer.from(TEXT, 'utf8'), 'utf8'],
  ['UTF-8 NFD without BOM', Buffer.from(TEXT.normalize('NFD'), 'utf8'), 'utf8'],
  ['Windows-1258 with separate tone marks', encodeWindows1258(TEXT), 'windows1258'],
];

describe('detectEncoding', () => {
  it.each(samples)('%s', (_name, bytes, encoding) => {
    expect(detectEncoding(bytes)).toBe(encoding);
  });

  it('treats pure ASCII as UTF-8', () => {
    expect(detectEncoding(Buffer.from('unit,indicator,period,value\nP01,THU_NS,2022,12\n'))).toBe('utf8');
  });

  it('tolerates a UTF-8 sequence cut at the 64 KiB head limit', () => {
    const big = Buffer.from('Phường '.repeat(20_000), 'utf8'); // > 64 KiB
    const head = big.subarray(0, 64 * 1024);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(head)).toThrow(); // really cut mid-character
    expect(detectEncoding(head)).toBe('utf8');
    expect(detectEncoding(big)).toBe('utf8');
    // Cut one byte into "ư" (2 bytes) and into "ờ" (3 bytes).
    expect(detectEncoding(Buffer.from('Phư', 'utf8').subarray(0, -1))).toBe('utf8');
    expect(detectEncoding(Buffer.from('Phườ', 'utf8').subarray(0, -1))).toBe('utf8');
    expect(detectEncoding(Buffer.from('Phườ', 'utf8').subarray(0, -2))).toBe('utf8');
  });

  it('does not take invalid UTF-8 in the middle for a cut sequence', () => {
    const bytes = Buffer.concat([Buffer.from('abc'), Buffer.from([0xe1, 0x41]), Buffer.from('def')]);
    expect(detectEncoding(bytes)).toBe('windows1258');
  });

  it('a stray NUL does not make a UTF-8 file UTF-16', () => {
    const bytes = Buffer.concat([Buffer.from('Phường '.repeat(50)), Buffer.from([0]), Buffer.from('Xã')]);
    expect(detectEncoding(bytes)).toBe('utf8');
  });

  it('only looks at the first 64 KiB', () => {
    const bytes = Buffer.concat([Buffer.from('a'.repeat(64 * 1024)), Buffer.from([0xc0, 0xc0, 0xc0])]);
    expect(detectEncoding(bytes)).toBe('utf8');
  });
});

describe('decoder', () => {
  it.each(samples)('%s: one byte at a time gives the NFC text without BOM', async (_name, bytes, encoding) => {
    const out = await decodeChunked(bytes, encoding, 1);
    expect(out).toBe(TEXT);
    expect(out.charCodeAt(0)).not.toBe(0xfeff);
  });

  it.each(samples)('%s: large chunks give the same text', async (_name, bytes, encoding) => {
    expect(await decodeChunked(bytes, encoding, 64 * 1024)).toBe(TEXT);
  });

  it('Windows-1258 bytes really carry separate tone marks', () => {
    const bytes = encodeWindows1258('Phường');
    // P h ư (0xFD) ơ (0xF5) combining grave (0xCC) n g
    expect([...bytes]).toEqual([0x50, 0x68, 0xfd, 0xf5, 0xcc, 0x6e, 0x67]);
    expect(iconv.decode(bytes, 'windows1258')).not.toBe('Phường'); // NFD-ish without our NFC step
  });

  it('composes NFC across any chunk boundaries (property)', async () => {
    const letters = [...'aăâeêioôơuưyAĂÂĐđEÊOÔƠUƯ bcdghnt,;\t\n0123456789'];
    const tones = ['', '\u0300', '\u0301', '\u0303', '\u0309', '\u0323'];
    const textArb = fc
      .array(fc.tuple(fc.constantFrom(...letters), fc.constantFrom(...tones)), { minLength: 1, maxLength: 60 })
      .map((parts) => parts.map(([l, t]) => l + t).join('').normalize('NFC'));
    await fc.assert(
      fc.asyncProperty(
        textArb,
        fc.constantFrom<TextEncoding>('windows1258', 'utf8', 'utf16le', 'utf16be'),
        fc.integer({ min: 1, max: 7 }),
        async (text, encoding, size) => {
          const bytes =
            encoding === 'windows1258' ? encodeWindows1258(text)
            : encoding === 'utf8' ? Buffer.from(text.normalize('NFD'), 'utf8')
            : iconv.encode(text, encoding);
          expect(await decodeChunked(bytes, encoding, size)).toBe(text);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps memory flat: output flows before the input ends', async () => {
    const d = decoder('windows1258');
    const seen: string[] = [];
    d.on('data', (s: string) => seen.push(s));
    d.write(encodeWindows1258('Hòa Khánh,'.repeat(1000)));
    await new Promise((resolve) => setImmediate(resolve));
    // Everything but the held-back last letter is already out.
    expect(seen.join('').length).toBeGreaterThan(9_990);
    d.end();
  });
});

describe('detectDelimiter', () => {
  it.each<[string, ',' | ';' | '\t']>([
    ['unit,indicator,period,value', ','],
    ['unit;indicator;period;value', ';'],
    ['unit\tindicator\tperiod\tvalue', '\t'],
    ['Mã đơn vị;Tên chỉ tiêu;Giá trị (tỷ đồng, ước)', ';'],
    ['"Đơn vị, phường";"Chỉ tiêu, mã";Kỳ', ';'], // commas inside quotes do not count
    ['"a;b;c;d",x,y', ','],
    ['"say ""hi"", ok";b;c', ';'], // escaped quotes keep the quoted section open
    ['a,b;c', ';'], // tie: ";" beats ","
    ['a,b\tc', '\t'], // tie: tab beats ","
    ['a;b\tc', '\t'], // tie: tab beats ";"
    ['value', '\t'], // no delimiter at all: everything ties
    ['a,b,c;d', ','],
  ])('%j -> %j', (line, expected) => {
    expect(detectDelimiter(line)).toBe(expected);
  });

  it('takes the first line with a delimiter: a title above the header has none, and data lines do not count', () => {
    expect(detectDelimiter(['BÁO CÁO THU NGÂN SÁCH 6 THÁNG ĐẦU NĂM 2022', 'Mã chỉ tiêu;Kỳ báo cáo;Giá trị', 'BUDGET_REVENUE;2022S1;1,5'])).toBe(';');
    expect(detectDelimiter(['Mã chỉ tiêu;Giá trị', 'A;1,5', 'B;2,5,'])).toBe(';'); // decimal commas below the header
    expect(detectDelimiter(['', 'title', ''])).toBe('\t');
  });
});

describe('lastBaseIndex', () => {
  const regex = (s: string) => /\P{M}\p{M}*$/u.exec(s)?.index ?? -1;

  it('finds what /\\P{M}\\p{M}*$/u finds (property)', () => {
    const pieces = ['a', 'ư', '\u0301', '\u0323', ';', '\n', '\ud83d\ude00', '\ud83d', '\ude00', '\ud834\udd65', '\udb40\udd00'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }), (parts) => {
        const s = parts.join('');
        expect(lastBaseIndex(s)).toBe(regex(s));
      }),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(lastBaseIndex(s)).toBe(regex(s));
      }),
    );
  });
});
