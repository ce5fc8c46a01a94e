/**
 * Reporting periods.
 *
 * Canonical codes: year "2022", half "2022S1"/"2022S2", quarter "2022Q1".."2022Q4",
 * month "202206", year-to-date "2022YTD09" (January through September).
 * Officers write periods in many ways ("6 tháng đầu năm 2022", "Quý II/2022",
 * "T6/2022"...); parsePeriod maps them all to a code, formatPeriod writes them back.
 */
import { fold } from './text.js';

export type PeriodType = 'year' | 'half' | 'quarter' | 'month' | 'ytd';

export interface PeriodInfo {
  code: string;
  type: PeriodType;
  year: number;
  half: number | null;
  quarter: number | null;
  month: number | null;
  months: number /* length in months */;
  startDate: string /* YYYY-MM-DD */;
  endDate: string /* YYYY-MM-DD inclusive */;
}

export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;

const CODE_RE = /^(\d{4})(?:S([12])|Q([1-4])|(0[1-9]|1[0-2])|YTD(0[1-9]|1[0-2]))?$/;

export function periodInfo(code: string): PeriodInfo | null {
  const m = CODE_RE.exec(code);
  if (!m) return null;
  const year = Number(m[1]);
  if (year < MIN_YEAR || year > MAX_YEAR) return null;
  const [half, quarter, month, ytd] = [m[2], m[3], m[4], m[5]].map((g) => (g ? Number(g) : null));

  // Every period is a run of whole months: [first, first + months).
  let type: PeriodType, first: number, months: number;
  if (half) [type, first, months] = ['half', (half - 1) * 6 + 1, 6];
  else if (quarter) [type, first, months] = ['quarter', (quarter - 1) * 3 + 1, 3];
  else if (month) [type, first, months] = ['month', month, 1];
  else if (ytd) [type, first, months] = ['ytd', 1, ytd];
  else [type, first, months] = ['year', 1, 12];

  const last = first + months - 1;
  return {
    code,
    type,
    year,
    half: half ?? null,
    quarter: quarter ?? null,
    month: month ?? null,
    months,
    startDate: `${year}-${pad2(first)}-01`,
    endDate: `${year}-${pad2(last)}-${pad2(daysInMonth(year, last))}`,
  };
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Returns code when it is a valid canonical code, else null. */
function valid(code: string | null): string | null {
  return code !== null && periodInfo(code) ? code : null;
}

const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };

function quarterCode(year: string, q: string): string | null {
  const n = ROMAN[q] ?? Number(q);
  return n >= 1 && n <= 4 ? `${year}Q${n}` : null;
}

function monthCode(year: string, month: string): string | null {
  const n = Number(month);
  return n >= 1 && n <= 12 ? `${year}${pad2(n)}` : null;
}

function ytdCode(year: string, count: string): string | null {
  const n = Number(count);
  return n >= 1 && n <= 12 ? `${year}YTD${pad2(n)}` : null;
}

/**
 * "N tháng (đầu|cuối) năm YYYY": 6 first months is the half S1, the last 6 is
 * S2, 12 is the year, any other 1..11 is year-to-date.
 */
function monthsCountCode(year: string, count: string, last = false): string | null {
  const n = Number(count);
  if (last) return n === 6 ? `${year}S2` : null;
  if (n === 6) return `${year}S1`;
  if (n === 12) return year;
  return n >= 1 && n <= 11 ? `${year}YTD${pad2(n)}` : null;
}

const EN_MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

/**
 * Patterns matched against fold()-ed text with spaces around "/" and "-" removed.
 * Order matters: "6t/2022" (first six months) vs "t6/2022" (June).
 */
const PATTERNS: Array<[RegExp, (...g: string[]) => string | null]> = [
  // ISO-like codes, any case: 2022, 2022s1, 2022q2, 2022ytd09, 202206, 2022-06.
  [/^(\d{4})$/, (y) => y],
  // A half is also H1/H2: "2022H1", "2022 S1", "H1/2022", "S2-2022".
  [/^(\d{4})[- ]?[sh]([12])$/, (y, h) => `${y}S${h}`],
  [/^[sh]([12]) ?[/-]?(\d{4})$/, (h, y) => `${y}S${h}`],
  [/^(\d{4})[- ]?q([1-4])$/, (y, q) => `${y}Q${q}`],
  [/^(\d{4})[- ]?ytd(\d{1,2})$/, (y, n) => ytdCode(y, n)],
  [/^(\d{4})(\d{2})$/, (y, m) => monthCode(y, m)],
  [/^(\d{4})[-/](\d{1,2})$/, (y, m) => monthCode(y, m)],
  // Year: "Năm 2022", "Cả năm 2022", "Year 2022".
  [/^(?:ca )?nam (\d{4})$/, (y) => y],
  [/^year (\d{4})$/, (y) => y],
  // "Lũy kế N tháng (đầu năm) 2022" is always year-to-date, even for 6 and 12.
  [/^luy ke (\d{1,2}) ?(?:thang|t)(?: dau)?(?: nam)? ?[/-]?(\d{4})$/, (n, y) => ytdCode(y, n)],
  // Halves and year-to-date: "6 tháng đầu năm 2022", "6T/2022", "6T-2022", "9 tháng năm 2022".
  [/^(\d{1,2}) ?(?:thang|t)(?: (dau|cuoi))?(?: nam)? ?[/-]?(\d{4})$/, (n, pos, y) =>
    monthsCountCode(y, n, pos === 'cuoi')],
  [/^nua (dau|cuoi) nam (\d{4})$/, (pos, y) => `${y}S${pos === 'dau' ? 1 : 2}`],
  [/^(first|second) half(?: of)? (\d{4})$/, (which, y) => `${y}S${which === 'first' ? 1 : 2}`],
  [/^first (\d{1,2}) months(?: of)? (\d{4})$/, (n, y) => monthsCountCode(y, n)],
  // Quarters: "Quý II/2022", "Quý 2 năm 2022", "Q2/2022", "Q2-2022", "QII/2022", "Q2 2022".
  [/^(?:quy|q) ?([1-4]|iv|iii|ii|i)(?: nam)? ?[/-]?(\d{4})$/, (q, y) => quarterCode(y, q)],
  // Months: "Tháng 6/2022", "Tháng 6 năm 2022", "T6/2022", "06/2022", "June 2022".
  [/^(?:thang|t) ?(\d{1,2})(?: nam)? ?[/-]?(\d{4})$/, (m, y) => monthCode(y, m)],
  [/^(\d{1,2})[/-](\d{4})$/, (m, y) => monthCode(y, m)],
  [/^([a-z]+) (\d{4})$/, (name, y) => {
    const i = EN_MONTHS.findIndex((mn) => mn.toLowerCase() === name);
    return i >= 0 ? monthCode(y, String(i + 1)) : null;
  }],
];

/** Canonical period code from any form officers write, or null. */
export function parsePeriod(text: string): string | null {
  const s = fold(text).replace(/\s*([/-])\s*/g, '$1');
  for (const [re, build] of PATTERNS) {
    const m = re.exec(s);
    if (m) return valid(build(...m.slice(1)));
  }
  return null;
}

/**
 * File-name patterns, matched on the fold()-ed name with runs of spaces, dots,
 * "_" and "-" turned into one "-" (a name cannot hold "/", so "06-2022",
 * "06_2022" and "T06.2022" are how 06/2022 is written there). Each is tried in
 * turn over the whole name; a match is blanked out so that its numbers are not
 * read again (as a month, or as a bare year, the least specific evidence).
 * A match whose parts are out of range ("2022S3", "Q5-2022", "13-2022") still
 * names a part of a year: the name then gives no period rather than its year.
 */
const B = '(?<![0-9a-z])'; // token start
const E = '(?![0-9a-z])'; // token end
const fileRe = (source: string) => new RegExp(source, 'g');
const EN_MONTH_WORDS = EN_MONTHS.map((m) => m.toLowerCase()).join('|');

interface FilePattern {
  re: RegExp;
  build: (...g: string[]) => string | null;
  /** a month written as bare numbers: another number beside it makes it a date */
  numeric?: boolean;
}

const FILE_PATTERNS: FilePattern[] = [
  // 2022S1, 2022-S1, 2022_H1, 2022Q2, 2022YTD09, 2022-ytd-9.
  { re: fileRe(`${B}(\\d{4})-?(s|h|q|ytd-?)(\\d{1,2})${E}`), build: (y, kind, n) =>
    kind === 'q' ? quarterCode(y, n) : kind.startsWith('ytd') ? ytdCode(y, n) : halfCode(y, n) },
  // 202206, 2022-06, 2022_6, 2022.06.
  { re: fileRe(`${B}(\\d{4})(\\d{2})${E}`), build: (y, m) => monthCode(y, m), numeric: true },
  { re: fileRe(`${B}(\\d{4})-(\\d{1,2})${E}`), build: (y, m) => monthCode(y, m), numeric: true },
  // "Lũy kế 9 tháng 2022".
  { re: fileRe(`${B}luy-ke-(\\d{1,2})-?(?:thang|t)(?:-dau)?(?:-nam)?-?(\\d{4})${E}`), build: (n, y) => ytdCode(y, n) },
  // "6 tháng đầu năm 2022", "6T-2022", "6T2022", "9-thang-2022".
  { re: fileRe(`${B}(\\d{1,2})-?(?:thang|t)(?:-(dau|cuoi))?(?:-nam)?-?(\\d{4})${E}`), build: (n, pos, y) =>
    monthsCountCode(y, n, pos === 'cuoi') },
  { re: fileRe(`${B}nua-(dau|cuoi)-nam-?(\\d{4})${E}`), build: (pos, y) => `${y}S${pos === 'dau' ? 1 : 2}` },
  { re: fileRe(`${B}(first|second)-half(?:-of)?-(\\d{4})${E}`), build: (which, y) => `${y}S${which === 'first' ? 1 : 2}` },
  { re: fileRe(`${B}first-(\\d{1,2})-months(?:-of)?-(\\d{4})${E}`), build: (n, y) => monthsCountCode(y, n) },
  // H1_2022, S1-2022.
  { re: fileRe(`${B}[sh](\\d{1,2})-(\\d{4})${E}`), build: (h, y) => halfCode(y, h) },
  // "Quý II/2022", "quy-2-nam-2022", "Q2-2022", "QII.2022".
  { re: fileRe(`${B}(?:quy-?|q)(\\d{1,2}|iv|iii|ii|i|v)(?:-nam)?-(\\d{4})${E}`), build: (q, y) => quarterCode(y, q) },
  // "Tháng 6 năm 2022", "T6-2022", "T06.2022", "thang_06_2022".
  { re: fileRe(`${B}(?:thang-?|t)(\\d{1,2})(?:-nam)?-(\\d{4})${E}`), build: (m, y) => monthCode(y, m) },
  { re: fileRe(`${B}(${EN_MONTH_WORDS})-(\\d{4})${E}`), build: (name, y) => monthCode(y, String(EN_MONTHS.findIndex((m) => m.toLowerCase() === name) + 1)) },
  // "06-2022", "6_2022" (06/2022), last: "quy-2-2022" and "thang-6-2022" are taken above.
  { re: fileRe(`${B}(\\d{1,2})-(\\d{4})${E}`), build: (m, y) => monthCode(y, m), numeric: true },
];
/**
 * A number named by the word before it is not a month: "phuong-12-2022" is ward
 * 12's year 2022, "bieu-01-2022" form 01's. Blanked before the periods are read.
 */
const LABELLED_NUMBER = fileRe(`${B}(?:phuong|xa|thi-tran|to-dan-pho|tdp|to|thon|ap|khom|khu-pho|kp|p|x|bieu|mau)-?\\d{1,3}${E}`);
/** A leftover token that names a part of a year without saying which, or not readably. */
const PERIOD_PART = /^(?:[shqt]\d{1,2}|ytd\d{0,2}|\d{1,2})$/;
const BARE_YEAR = fileRe(`(?<![0-9])((?:19|20)\\d{2})(?![0-9])`);
/** An extension that is really a period marker ("bc.2022.Q2"), kept as part of the name. */
const PERIOD_EXTENSION = /^\.(?:[shqt]\d{1,2}|ytd\d{1,2})$/i;

function halfCode(year: string, h: string): string | null {
  return h === '1' || h === '2' ? `${year}S${h}` : null;
}

/** Whether the text is a plausible year, so that a match around it speaks of a period. */
function isYear(text: string | undefined): boolean {
  const y = Number(text);
  return /^\d{4}$/.test(text ?? '') && y >= MIN_YEAR && y <= MAX_YEAR;
}

/**
 * Period code found in a file name ("thu-ngan-sach-2022S1.csv" -> "2022S1",
 * "bao cao 06-2022.csv" -> "202206", "bao-cao-6-thang-2022.csv" -> "2022S1"),
 * the most specific it holds; null when there is none, when the name mentions
 * two different periods, or when it holds what reads as a part of a year but
 * is not one ("2022S3", "13-2022", the date "30-06-2022"): the year alone would
 * be a guess.
 */
export function periodFromFileName(fileName: string): string | null {
  // Drop directories and a real extension (".csv", not the ".2022" of "bao.cao.2022").
  let base = fileName.replace(/^.*[/\\]/, '');
  const ext = /\.[a-z][a-z0-9]{0,4}$/i.exec(base);
  if (ext && !PERIOD_EXTENSION.test(ext[0])) base = base.slice(0, ext.index);
  let s = fold(base).replace(/[\s.-]+/g, '-').replace(LABELLED_NUMBER, ' ');

  const found = new Set<string>();
  let unreadable = false;
  for (const { re: pattern, build, numeric } of FILE_PATTERNS) {
    s = s.replace(pattern, (...args: unknown[]) => {
      const [match, ...rest] = args as [string, ...unknown[]];
      const offset = rest.at(-2) as number;
      const whole = rest.at(-1) as string;
      const groups = rest.slice(0, -2).map((g) => (g === undefined ? '' : String(g)));
      const code = valid(build(...groups));
      if (!code) {
        // Out of range next to a year ("2022S3", "Q5-2022"): a part of a year nobody can read.
        if (groups.some(isYear)) unreadable = true;
        return match;
      }
      // "30-06-2022", "2022-06-30": a date, not a month.
      const before = whole.slice(0, offset);
      const after = whole.slice(offset + match.length);
      if (numeric && (/(?<![0-9a-z])\d{1,2}-$/.test(before) || /^-\d{1,2}(?![0-9a-z])/.test(after))) unreadable = true;
      found.add(code);
      return ' ';
    });
  }
  if (unreadable) return null;
  // What is left beside a bare year must not read as a part of a year ("2022-T6", "quy-2022").
  const tokens = s.split('-');
  if (tokens.some((t, i) => /^\d{4}$/.test(t) && [tokens[i - 1], tokens[i + 1]].some((n) => n !== undefined && PERIOD_PART.test(n)))) return null;
  const years = new Set([...s.matchAll(BARE_YEAR)].map((m) => m[1]!));
  const [code, ...others] = [...found];
  if (others.length > 0) return null;
  if (code) {
    // A bare year other than the period's own year is a second, conflicting period.
    return [...years].every((y) => y === code.slice(0, 4)) ? code : null;
  }
  return years.size === 1 ? valid([...years][0]!) : null;
}

const ROMAN_OUT = ['I', 'II', 'III', 'IV'];

/** Human label: vi "Quý II/2022", en "Q2 2022". parsePeriod(formatPeriod(c, 'vi')) === c. */
export function formatPeriod(code: string, lang: 'vi' | 'en'): string {
  const p = requireInfo(code);
  const y = p.year;
  const vi = lang === 'vi';
  switch (p.type) {
    case 'year':
      return vi ? `Năm ${y}` : `Year ${y}`;
    case 'half':
      if (vi) return `6 tháng ${p.half === 1 ? 'đầu' : 'cuối'} năm ${y}`;
      return `${p.half === 1 ? 'First' : 'Second'} half of ${y}`;
    case 'quarter':
      return vi ? `Quý ${ROMAN_OUT[p.quarter! - 1]}/${y}` : `Q${p.quarter} ${y}`;
    case 'month':
      return vi ? `Tháng ${p.month}/${y}` : `${EN_MONTHS[p.month! - 1]} ${y}`;
    case 'ytd':
      // "6 tháng đầu năm" reads as the half and "12 tháng" as the year, so those
      // two year-to-date codes need the explicit "lũy kế" (cumulative) wording.
      if (vi) return p.months === 6 || p.months === 12 ? `Lũy kế ${p.months} tháng năm ${y}` : `${p.months} tháng đầu năm ${y}`;
      return p.months === 1 ? `First month of ${y}` : `First ${p.months} months of ${y}`;
  }
}

function requireInfo(code: string): PeriodInfo {
  const p = periodInfo(code);
  if (!p) throw new RangeError(`not a period code: ${JSON.stringify(code)}`);
  return p;
}

/** Same period one year earlier: "2022Q2" -> "2021Q2". Throws for invalid codes. */
export function samePeriodLastYear(code: string): string {
  const p = requireInfo(code);
  return requireInfo(String(p.year - 1) + code.slice(4)).code;
}

/** Next level down: year -> halves, half -> quarters, quarter -> months; month/ytd -> []. */
export function childPeriods(code: string): string[] {
  const p = requireInfo(code);
  const y = p.year;
  switch (p.type) {
    case 'year':
      return [`${y}S1`, `${y}S2`];
    case 'half':
      return [1, 2].map((i) => `${y}Q${(p.half! - 1) * 2 + i}`);
    case 'quarter':
      return [1, 2, 3].map((i) => `${y}${pad2((p.quarter! - 1) * 3 + i)}`);
    default:
      return [];
  }
}

/** Month codes covered by the period, in order: "2022Q2" -> 202204, 202205, 202206. */
export function monthsOf(code: string): string[] {
  const p = requireInfo(code);
  const first = Number(p.startDate.slice(5, 7));
  return Array.from({ length: p.months }, (_, i) => `${p.year}${pad2(first + i)}`);
}
