/**
 * Turning submitted bytes into NFC text.
 *
 * Wards submit whatever their spreadsheet saved: UTF-8 with or without BOM,
 * "Unicode text" from Excel (UTF-16LE with BOM, tab separated), occasionally
 * UTF-16 without BOM, and old machines still produce Windows-1258, which
 * writes tone marks as separate combining characters.
 */
import { Transform } from 'node:stream';
import iconv from 'iconv-lite';

export type TextEncoding = 'utf8' | 'utf16le' | 'utf16be' | 'windows1258'; // iconv-lite names

const HEAD_LIMIT = 64 * 1024;

/** What a character that cannot be stored as text becomes (as iconv-lite does for bad bytes). */
const REPLACEMENT = '\uFFFD';

export function detectEncoding(head: Buffer): TextEncoding {
  const b = head.subarray(0, HEAD_LIMIT);
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf8';
  if (b[0] === 0xff && b[1] === 0xfe) return 'utf16le';
  if (b[0] === 0xfe && b[1] === 0xff) return 'utf16be';
  const utf16 = utf16ByNulPattern(b);
  if (utf16) return utf16;
  if (isUtf8(b)) return 'utf8';
  return 'windows1258';
}

/**
 * UTF-16 without BOM: ASCII characters (digits, delimiters, Latin letters) have a
 * zero high byte, so NULs pile up in one byte position. chardet gets this wrong.
 */
function utf16ByNulPattern(b: Buffer): 'utf16le' | 'utf16be' | null {
  let even = 0;
  let odd = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 0) {
      if (i % 2 === 0) even++;
      else odd++;
    }
  }
  const pairs = Math.floor(b.length / 2);
  const [most, least] = even > odd ? [even, odd] : [odd, even];
  // A stray NUL in a UTF-8 file is not enough: demand many, nearly all on one side.
  if (most === 0 || most < pairs * 0.1 || least > most * 0.1) return null;
  return odd > even ? 'utf16le' : 'utf16be';
}

/** Strict UTF-8 check, forgiving a multi-byte sequence cut off by the head limit. */
function isUtf8(b: Buffer): boolean {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    decoder.decode(b.subarray(0, completeUtf8Length(b)));
    return true;
  } catch {
    return false;
  }
}

/** Length of b without a trailing incomplete UTF-8 sequence. */
function completeUtf8Length(b: Buffer): number {
  // Walk back over at most 3 continuation bytes (10xxxxxx) to the lead byte.
  for (let i = b.length - 1; i >= Math.max(0, b.length - 4); i--) {
    const byte = b[i]!;
    if ((byte & 0xc0) === 0x80) continue;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return b.length - i < needed ? i : b.length;
  }
  return b.length;
}

const MARK = /^\p{M}$/u;

/**
 * Start of the last base character (a code point that is not a mark) with only marks after it,
 * or -1: what /\P{M}\p{M}*$/u finds, but scanning from the end. The regex is tried at every
 * position of the chunk and was most of the decoding time.
 */
export function lastBaseIndex(s: string): number {
  let end = s.length;
  while (end > 0) {
    // One code point back: a surrogate pair counts as one, as in a /u regex.
    const low = s.charCodeAt(end - 1);
    const high = end >= 2 ? s.charCodeAt(end - 2) : 0;
    const start = low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff ? end - 2 : end - 1;
    // Marks are never ASCII: skip the regex for the usual last character.
    if (low < 0x80 || !MARK.test(s.slice(start, end))) return start;
    end = start;
  }
  return -1;
}

/**
 * Streaming decoder: Buffer chunks in, NFC string chunks out. iconv-lite drops
 * the BOM and keeps partial multi-byte sequences across chunks; we only have to
 * keep NFC composition from being split: a base letter at the end of a chunk may
 * still receive a combining tone mark from the next one, so the last base
 * character (and any marks after it) waits for the next chunk or the flush.
 *
 * NUL characters (from a damaged file, or UTF-16 read as something else) come
 * out as U+FFFD like any other undecodable byte: Postgres text cannot hold
 * U+0000, so a NUL that reached a stored note or error message would make
 * storing the outcome itself fail.
 */
export function decoder(encoding: TextEncoding): Transform {
  const conv = iconv.getDecoder(encoding); // our names are iconv-lite's names
  let pending = '';
  const emit = (stream: Transform, text: string, final: boolean) => {
    let s = pending + text;
    pending = '';
    if (!final) {
      const tail = lastBaseIndex(s);
      if (tail >= 0) {
        pending = s.slice(tail);
        s = s.slice(0, tail);
      }
    }
    if (s) stream.push(s.normalize('NFC').replace(/\u0000/g, REPLACEMENT));
  };
  return new Transform({
    encoding: 'utf8', // readable side yields strings
    transform(chunk: Buffer, _enc, done) {
      try {
        emit(this, conv.write(chunk), false);
        done();
      } catch (e) {
        done(e as Error);
      }
    },
    flush(done) {
      try {
        emit(this, conv.end() ?? '', true);
        done();
      } catch (e) {
        done(e as Error);
      }
    },
  });
}

/**
 * Delimiter of a CSV file from its first lines: the most frequent of tab, ";" and
 * "," outside double quotes on the first line that has any (the header, below a
 * title that may have none); ties prefer tab, then ";", then ",".
 */
export function detectDelimiter(lines: string | string[]): ',' | ';' | '\t' {
  // The first line with a candidate: a title above the header may have none. Only that line
  // counts: data lines of a ';' file hold decimal commas ("1,5;2,5;3,7").
  const all = typeof lines === 'string' ? [lines] : lines;
  const headerLine = all.find((line) => /[\t;,]/.test(line)) ?? all[0] ?? '';
  const counts = { '\t': 0, ';': 0, ',': 0 };
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted; // "" inside quotes toggles twice: no effect
    else if (!quoted && ch in counts) counts[ch as keyof typeof counts]++;
  }
  // Candidates in tie-break order; a later one wins only with a strictly higher count.
  let best: ',' | ';' | '\t' = '\t';
  for (const d of [';', ','] as const) if (counts[d] > counts[best]) best = d;
  return best;
}

/**
 * Encode text as Windows-1258 with every tone mark as a separate combining
 * character (what Vietnamese Windows keyboards produce). iconv-lite cannot
 * encode NFC Vietnamese directly ("ờ" has no cp1258 code point), so tests and
 * fixtures use this.
 */
export function encodeWindows1258(text: string): Buffer {
  const TONES = /[\u0300\u0301\u0303\u0309\u0323]/gu;
  // Per letter: keep the base with its non-tone marks composed (ơ, ư, ă, â...),
  // then append the five tone marks cp1258 writes separately.
  const cp1258Form = text.normalize('NFD').replace(/\P{M}\p{M}*/gu, (cluster) => {
    const tones = cluster.match(TONES)?.join('') ?? '';
    return cluster.replace(TONES, '').normalize('NFC') + tones;
  });
  return iconv.encode(cp1258Form, 'windows1258');
}
