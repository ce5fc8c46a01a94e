// Turning rows of cells into the bytes an office machine would save: the delimiter, quoting,
// line endings and encoding of each kind of export (SPEC §4).
import { encodeWindows1258 } from '../normalise/decode.js';
import { formatNumber } from '../normalise/numbers.js';

export type DemoEncoding = 'utf8' | 'utf8-bom' | 'utf16le-bom' | 'windows1258';

export interface TextLayout {
  delimiter: ',' | ';' | '\t';
  eol: '\n' | '\r\n';
  encoding: DemoEncoding;
  /** quote every number written with a separator ("29,05", "53.048"), not only those that need it */
  quoteNumbers?: boolean;
}

// A number with a separator ("29,05", "53.048"); Excel leaves plain small integers unquoted.
const NUMBER_LIKE = /^-?\d+(?:[.,]\d+)+$/;

function cell(text: string, layout: TextLayout): string {
  const needs = text.includes(layout.delimiter) || text.includes('"') || /[\r\n]/.test(text);
  if (needs || (layout.quoteNumbers && NUMBER_LIKE.test(text))) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

export function renderText(rows: string[][], layout: TextLayout): string {
  return rows.map((row) => row.map((c) => cell(c, layout)).join(layout.delimiter) + layout.eol).join('');
}

export function encodeText(text: string, encoding: DemoEncoding): Buffer {
  switch (encoding) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'utf8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf16le-bom':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'windows1258':
      return encodeWindows1258(text);
  }
}

export function renderTable(rows: string[][], layout: TextLayout): Buffer {
  return encodeText(renderText(rows, layout), layout.encoding);
}

/** A whole number of `scale`-ths as a decimal string: (134890, 2) → "1348.90". */
export function fixed(units: number, scale: number): string {
  if (!Number.isSafeInteger(units)) throw new RangeError(`not a whole number: ${units}`);
  if (scale === 0) return String(units);
  const negative = units < 0;
  const digits = String(Math.abs(units)).padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** As an officer writes it: vi "1.348,90", en "1,348.90" (fraction digits as given). */
export function written(units: number, scale: number, convention: 'vi' | 'en'): string {
  return formatNumber(fixed(units, scale), convention, { decimals: scale });
}
