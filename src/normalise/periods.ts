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
  [/^(\d{4})-?s([12])$/, (y, h) => `${y}S${h}`],
  [/^(\d{4})-?q([1-4])$/, (y, q) => `${y}Q${q}`],
  [/^(\d{4})-?ytd(\d{1,2})$/, (y, n) => ytdCode(y, n)],
  [/^(\d{4})(\d{2})$/, (y, m) => monthCode(y, m)],
  [/^(\d{4})[-/](\d{1,2})$/, (y, m) => monthCode(y, m)],
  // Year: "Năm 2022", "Cả năm 2022", "Year 2022".
  [/^(?:ca )?nam (\d{4})$/, (y) => y],
  [/^year (\d{4})$/, (y) => y],
  // "Lũy kế N tháng (đầu năm) 2022" is always year-to-date, even for 6 and 12.
  [/^luy ke (\d{1,2}) ?(?:thang|t)(?: dau)?(?: nam)? ?\/?(\d{4})$/, (n, y) => ytdCode(y, n)],
  // Halves and year-to-date: "6 tháng đầu năm 2022", "6T/2022", "9 tháng năm 2022".
  [/^(\d{1,2}) ?(?:thang|t)(?: (dau|cuoi))?(?: nam)? ?\/?(\d{4})$/, (n, pos, y) =>
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
 * File-name patterns, matched on the fold()-ed name with spaces and dots turned
 * into "-": ISO tokens first, then Vietnamese words. Each match is blanked out so
 * its year is not counted again as a bare year (the least specific evidence).
 */
const B = '(?<![0-9a-z])'; // token start
const E = '(?![0-9a-z])'; // token end
const FILE_PATTERNS: Array<[RegExp, (...g: string[]) => string | null]> = [
  [new RegExp(`${B}(\\d{4})(s[12]|q[1-4]|ytd(?:0[1-9]|1[0-2]))${E}`, 'g'), (y, p) => y + p.toUpperCase()],
  [new RegExp(`${B}(\\d{4})-?(0[1-9]|1[0-2])${E}`, 'g'), (y, m) => monthCode(y, m)],
  [new RegExp(`${B}luy-ke-(\\d{1,2})-?(?:thang|t)(?:-dau)?(?:-nam)?-(\\d{4})${E}`, 'g'), (n, y) => ytdCode(y, n)],
  [new RegExp(`${B}(\\d{1,2})-?(?:thang|t)(?:-(dau|cuoi))?(?:-nam)?-(\\d{4})${E}`, 'g'), (n, pos, y) =>
    monthsCountCode(y, n, pos === 'cuoi')],
  [new RegExp(`${B}(?:quy-?|q)([1-4]|iv|iii|ii|i)(?:-nam)?-(\\d{4})${E}`, 'g'), (q, y) => quarterCode(y, q)],
  [new RegExp(`${B}(?:thang-?|t)(\\d{1,2})(?:-nam)?-(\\d{4})${E}`, 'g'), (m, y) => monthCode(y, m)],
];
const BARE_YEAR = new RegExp(`(?<![0-9])((?:19|20)\\d{2})(?![0-9])`, 'g');

/**
 * Period code found in a file name ("thu-ngan-sach-2022S1.csv" -> "2022S1",
 * "bao-cao-6-thang-2022.csv" -> "2022S1"), or null when there is none or when
 * the name mentions two different periods.
 */
export function periodFromFileName(fileName: string): string | null {
  // Drop directories and a real extension (".csv", not the ".2022" of "bao.cao.2022").
  const base = fileName.replace(/^.*[/\\]/, '').replace(/\.[a-z][a-z0-9]{0,4}$/i, '');
  let s = fold(base).replace(/[\s.]+/g, '-');

  const found = new Set<string>();
  for (const [re, build] of FILE_PATTERNS) {
    s = s.replace(re, (...args: unknown[]) => {
      const groups = args.slice(1, -2).map((g) => (g === undefined ? '' : String(g)));
      const code = valid(build(...groups));
      if (code) found.add(code);
      return code ? ' ' : String(args[0]);
    });
  }
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
