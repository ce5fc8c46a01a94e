/**
 * Reading numbers the way Vietnamese officers write them.
 *
 * The same text can mean two things: "1.024" is 1024 in Vietnamese notation
 * (dot groups thousands, comma is the decimal point) and 1.024 in English
 * notation. We never guess here: readNumber returns both readings and the
 * caller decides from file-level evidence (see conventionEvidence).
 * Values stay decimal strings end to end so sums match published figures
 * exactly (no binary floating point).
 */

export type NumberConvention = 'vi' | 'en';

export type NumberReading =
  | { kind: 'empty' }
  | { kind: 'invalid' }
  | { kind: 'number'; vi: string | null; en: string | null; percent: boolean };

/** Placeholders officers use for "no figure"; they must never become 0. */
const EMPTY_MARKERS = new Set(['', '-', 'x', 'X', '–', '—']);

/** Spaces used as thousands separators: space, NBSP, narrow NBSP, thin space. */
const SPACE_SEPARATORS = ' \u00a0\u202f\u2009';

interface Notation {
  decimal: string;
  group: string; // the non-space grouping character
}

const NOTATIONS: Record<NumberConvention, Notation> = {
  vi: { decimal: ',', group: '.' },
  en: { decimal: '.', group: ',' },
};

export function readNumber(raw: string): NumberReading {
  let text = raw.trim();
  if (EMPTY_MARKERS.has(text)) return { kind: 'empty' };

  let percent = false;
  if (text.endsWith('%')) {
    percent = true;
    text = text.slice(0, -1).trimEnd();
  }

  // U+2212 (minus sign) comes out of some spreadsheet exports.
  let sign = '';
  const first = text.charAt(0);
  if (first === '-' || first === '\u2212') sign = '-';
  if (sign || first === '+') text = text.slice(1);

  // Most cells are digits with "." and "," only: read those without splitting and regexes
  // (a third of the time per value). readGeneral is the reference: a property test holds them equal.
  return PLAIN.test(text) ? readPlainNumber(text, sign, percent) : readGeneral(text, sign, percent);
}

/** The reading of any unsigned text (sign and percent already taken off), by the full grammar. */
export function readGeneral(text: string, sign: string, percent: boolean): NumberReading {
  const vi = readUnsigned(text, NOTATIONS.vi);
  const en = readUnsigned(text, NOTATIONS.en);
  if (vi === null && en === null) return { kind: 'invalid' };
  return { kind: 'number', vi: vi === null ? null : canonicalDecimal(sign + vi), en: en === null ? null : canonicalDecimal(sign + en), percent };
}

/** The same reading as readGeneral for text of digits, "." and "," only, in one pass. */
export function readPlainNumber(text: string, sign: string, percent: boolean): NumberReading {
  const vi = readPlain(text, ',', '.');
  const en = readPlain(text, '.', ',');
  if (vi === null && en === null) return { kind: 'invalid' };
  const negative = sign === '-';
  return { kind: 'number', vi: vi === null ? null : signedCanonical(negative, vi), en: en === null ? null : signedCanonical(negative, en), percent };
}

const PLAIN = /^[\d.,]+$/;

/**
 * readUnsigned for text of digits, "." and "," only (PLAIN), in one pass: [int, frac] with the
 * grouping removed (either may be empty, not both), or null.
 */
function readPlain(text: string, decimal: string, group: string): [int: string, frac: string] | null {
  let int = text;
  let frac = '';
  const point = text.indexOf(decimal);
  if (point >= 0) {
    if (text.indexOf(decimal, point + 1) >= 0) return null; // "1,,2"
    frac = text.slice(point + 1);
    if (frac === '' || frac.includes(group)) return null; // "5," or "1,2.3"
    int = text.slice(0, point);
  }
  const first = int.indexOf(group);
  if (first >= 0) {
    // "1.348.900": 1 to 3 digits, then groups of a separator and exactly 3 digits.
    if (first === 0 || first > 3 || (int.length - first) % 4 !== 0) return null;
    for (let i = first; i < int.length; i++) if ((int[i] === group) !== ((i - first) % 4 === 0)) return null;
    int = int.split(group).join('');
  }
  return int === '' && frac === '' ? null : [int, frac];
}

/** canonicalDecimal of a sign and an [int, frac] reading. */
function signedCanonical(negative: boolean, [int, frac]: [string, string]): string {
  let start = 0;
  while (start < int.length && int.charCodeAt(start) === 0x30) start++;
  let end = frac.length;
  while (end > 0 && frac.charCodeAt(end - 1) === 0x30) end--;
  const whole = start === int.length ? '0' : int.slice(start);
  const body = end > 0 ? `${whole}.${frac.slice(0, end)}` : whole;
  return negative && body !== '0' ? `-${body}` : body;
}

/** Digits with optional grouping and decimal separator, as "int.frac" or null. */
function readUnsigned(text: string, n: Notation): string | null {
  const parts = text.split(n.decimal);
  if (parts.length > 2) return null;
  const [intText, frac = ''] = parts as [string, string?];
  if (parts.length === 2 && !/^\d+$/.test(frac)) return null; // "5," or "1,2.3"
  const int = readGroupedInteger(intText, n.group);
  if (int === null) return null;
  if (int === '' && frac === '') return null;
  return frac ? `${int || '0'}.${frac}` : int;
}

/** "1.348.900" / "1 348 900" / "1348900" -> "1348900"; bad grouping -> null. */
function readGroupedInteger(text: string, group: string): string | null {
  if (/^\d*$/.test(text)) return text;
  // One separator kind per number: "1.348 900" is not something anyone writes.
  for (const sep of [group, ...SPACE_SEPARATORS]) {
    const groups = text.split(sep);
    if (groups.length < 2) continue;
    const [head, ...rest] = groups as [string, ...string[]];
    if (/^\d{1,3}$/.test(head) && rest.every((g) => /^\d{3}$/.test(g))) return groups.join('');
    return null;
  }
  return null;
}

/** Both readings exist and disagree ("1.024"): the file's convention must decide. */
export function isAmbiguous(r: NumberReading): boolean {
  return r.kind === 'number' && r.vi !== null && r.en !== null && r.vi !== r.en;
}

export function pick(r: NumberReading & { kind: 'number' }, convention: NumberConvention): string | null {
  return convention === 'vi' ? r.vi : r.en;
}

/** A value readable one way only ("42,75", "1,348.9") tells us the file's convention. */
export function conventionEvidence(r: NumberReading): NumberConvention | null {
  if (r.kind !== 'number') return null;
  if (r.vi !== null && r.en === null) return 'vi';
  if (r.en !== null && r.vi === null) return 'en';
  return null;
}

/**
 * Canonical decimal: optional "-", no grouping, "." as point, no leading zeros
 * (except "0.x"), no trailing fraction zeros, no trailing point, no "-0".
 */
export function canonicalDecimal(s: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(s.trim());
  if (!m || (m[2] === '' && !m[3])) throw new Error(`not a decimal number: ${JSON.stringify(s)}`);
  const int = m[2]!.replace(/^0+/, '') || '0';
  const frac = (m[3] ?? '').replace(/0+$/, '');
  const body = frac ? `${int}.${frac}` : int;
  return m[1] === '-' && body !== '0' ? `-${body}` : body;
}

/**
 * Format a decimal string as an officer would write it: vi "1.348,9", en "1,348.9".
 * `decimals` fixes the number of fraction digits (rounding half away from zero).
 */
export function formatNumber(
  value: string,
  convention: NumberConvention,
  opts: { decimals?: number; grouping?: boolean } = {},
): string {
  const { decimal, group } = NOTATIONS[convention];
  let v = canonicalDecimal(value);
  if (opts.decimals !== undefined) v = roundDecimal(v, opts.decimals);
  const negative = v.startsWith('-');
  const [int, frac = ''] = (negative ? v.slice(1) : v).split('.') as [string, string?];
  const grouped = opts.grouping === false ? int : int.replace(/\B(?=(\d{3})+$)/g, group);
  return (negative ? '-' : '') + grouped + (frac ? decimal + frac : '');
}

/** Round a canonical decimal to exactly `decimals` fraction digits (padded). */
function roundDecimal(v: string, decimals: number): string {
  if (!Number.isInteger(decimals) || decimals < 0) throw new RangeError(`bad decimals: ${decimals}`);
  const negative = v.startsWith('-');
  const [int, frac = ''] = (negative ? v.slice(1) : v).split('.') as [string, string?];
  // Work in integer units of 10^-decimals with BigInt: exact at any size.
  let units = BigInt(int + frac.padEnd(decimals, '0').slice(0, decimals));
  if ((frac[decimals] ?? '0') >= '5') units += 1n;
  const digits = units.toString().padStart(decimals + 1, '0');
  const body = decimals ? `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}` : digits;
  return negative && units !== 0n ? `-${body}` : body;
}
