/**
 * Units of measure. The catalogue stores each indicator in one canonical unit;
 * submissions say the unit in words ("triệu đồng", "tr.đ", "tỷ"...). We return
 * the factor that converts a submitted value to the canonical unit as a decimal
 * string, so the caller multiplies in Postgres numeric and published totals
 * match to the last digit.
 */
import { fold, trailingParenthetical } from './text.js';

export type UomConversion = { ok: true; factor: string /* decimal string to multiply by */ } | { ok: false };

/** A unit is a dimension plus a power of ten of that dimension's base unit. */
interface Unit {
  dim: string;
  exp: number;
}

const CANONICAL: Record<string, Unit & { vi: string; en: string }> = {
  bn_vnd: { dim: 'vnd', exp: 9, vi: 'tỷ đồng', en: 'billion VND' },
  mn_vnd: { dim: 'vnd', exp: 6, vi: 'triệu đồng', en: 'million VND' },
  mn_vnd_per_ha: { dim: 'vnd/ha', exp: 6, vi: 'triệu đồng/ha', en: 'million VND per hectare' },
  mn_usd: { dim: 'usd', exp: 6, vi: 'triệu USD', en: 'million USD' },
  pct: { dim: 'pct', exp: 0, vi: '%', en: '%' },
  count: { dim: 'count', exp: 0, vi: 'số lượng', en: 'count' },
  persons: { dim: 'persons', exp: 0, vi: 'người', en: 'persons' },
  households: { dim: 'households', exp: 0, vi: 'hộ', en: 'households' },
  ha: { dim: 'ha', exp: 0, vi: 'ha', en: 'hectares' },
  km: { dim: 'm', exp: 3, vi: 'km', en: 'km' },
  bool: { dim: 'bool', exp: 0, vi: 'đạt/không đạt', en: 'yes/no' },
  rank: { dim: 'rank', exp: 0, vi: 'thứ hạng', en: 'rank' },
  points: { dim: 'points', exp: 0, vi: 'điểm', en: 'points' },
};

/** Words per (dimension, power of ten), written as fold() produces them. */
const WORDS: Array<[dim: string, exp: number, words: string[]]> = [
  ['vnd', 12, ['nghin ty dong', 'ngan ty dong', 'nghin ty']],
  ['vnd', 9, ['ty dong', 'ty', 'ti dong', 'ti', 'ty d', 'ty vnd', 'billion vnd', 'bn vnd']],
  ['vnd', 6, ['trieu dong', 'trieu', 'tr.d', 'trd', 'tr d', 'tr.dong', 'trieu d', 'trieu vnd', 'million vnd', 'mn vnd']],
  ['vnd', 3, ['nghin dong', 'ngan dong', 'nghin', 'ngan', 'thousand vnd']],
  ['vnd', 0, ['dong', 'd', 'vnd']],
  ['usd', 9, ['ty usd', 'ti usd', 'billion usd']],
  ['usd', 6, ['trieu usd', 'million usd', 'mn usd']],
  ['usd', 3, ['nghin usd', 'ngan usd', 'thousand usd']],
  ['usd', 0, ['usd', 'do la my']],
  ['pct', 0, ['%', 'phan tram', 'pct', 'percent', 'ty le', 'ty le %']],
  ['count', 0, [
    'count', 'cai', 'so', 'so luong', 'diem', 'luot', 'camera', 'tai khoan', 'ho so', 'thu tuc',
    'thu tuc hanh chinh', 'du an', 'doanh nghiep', 'cho', 'to', 'the', 'chiec', 'xa', 'don vi',
  ]],
  ['persons', 0, ['nguoi', 'nhan khau', 'persons', 'person', 'people', 'thanh vien']],
  ['households', 0, ['ho', 'ho gia dinh', 'households', 'household']],
  ['ha', 0, ['ha', 'hecta', 'hec ta', 'hectare', 'hectares']],
  ['m', 3, ['km', 'ki lo met', 'kilomet', 'kilometre', 'kilometer', 'kilometres', 'kilometers']],
  ['m', 0, ['m', 'met', 'metre', 'meter', 'metres', 'meters']],
  ['bool', 0, ['dat/khong dat', 'bool', 'boolean', 'co/khong', 'yes/no']],
  ['rank', 0, ['hang', 'thu hang', 'xep hang', 'rank']],
  ['points', 0, ['diem', 'diem so', 'points', 'point']],
];

/** fold()-ed word -> every unit it can mean ("điểm" is both a count and points). */
const UNITS = new Map<string, Unit[]>();
function addWord(word: string, unit: Unit): void {
  UNITS.set(word, [...(UNITS.get(word) ?? []), unit]);
}
for (const [dim, exp, words] of WORDS) {
  for (const w of words) {
    addWord(w, { dim, exp });
    // Money per hectare is any money word + "/ha": "triệu đồng/ha", "trđ/ha".
    if (dim === 'vnd') {
      for (const per of ['/ha', ' per ha', ' per hectare']) addWord(w + per, { dim: 'vnd/ha', exp });
    }
  }
}
for (const [code, unit] of Object.entries(CANONICAL)) addWord(fold(code), unit);

/** "(Tỷ đồng)", "triệu đồng / ha" -> "ty dong", "trieu dong/ha". */
function unitKey(text: string): string {
  return fold(text)
    .replace(/^\((.*)\)$/, '$1')
    .replace(/\s*\/\s*/g, '/')
    .trim();
}

/** 10^exp as a decimal string: 3 -> "1000", -3 -> "0.001". */
function powerOfTen(exp: number): string {
  return exp >= 0 ? '1' + '0'.repeat(exp) : '0.' + '0'.repeat(-exp - 1) + '1';
}

/** Factor turning a value written in `text` units into `canonical` units. */
export function convertUom(text: string | null | undefined, canonical: string): UomConversion {
  if (text == null || text.trim() === '') return { ok: true, factor: '1' };
  const target = CANONICAL[canonical];
  const unit = UNITS.get(unitKey(text))?.find((u) => u.dim === target?.dim);
  if (!target || !unit) return { ok: false };
  return { ok: true, factor: powerOfTen(unit.exp - target.exp) };
}

/**
 * The unit of measure a header names in a trailing parenthetical ("Giá trị (triệu đồng)",
 * "Thực hiện (nghìn đồng)"), when it is one: "(*)", "(ước)" are not.
 */
export function uomInHeader(header: string): string | null {
  const inner = trailingParenthetical(header)?.inner;
  return inner && UNITS.has(unitKey(inner)) ? inner : null;
}

/** Display name of a canonical unit: bn_vnd -> "tỷ đồng" / "billion VND". */
export function describeUom(canonical: string, lang: 'vi' | 'en'): string {
  const unit = CANONICAL[canonical];
  return unit ? unit[lang] : canonical;
}

/** Canonical unit codes known to this module. */
export const CANONICAL_UOMS: readonly string[] = Object.keys(CANONICAL);
