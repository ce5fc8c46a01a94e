/**
 * Words officers put in the series / status columns and in the headers of
 * long-format files, mapped to our codes. Everything is matched on fold()-ed
 * text, so "Kế hoạch tỉnh giao", "KE HOACH TINH GIAO" and "ke_hoach tinh giao"
 * are the same.
 */
import { fold, trailingParenthetical } from './text.js';

/** Build a fold()-ed word -> code lookup. */
function lookup<T extends string>(table: Record<T, string[]>): Map<string, T> {
  const map = new Map<string, T>();
  for (const [code, words] of Object.entries(table) as Array<[T, string[]]>) {
    for (const w of [code, ...words]) map.set(fold(w), code);
  }
  return map;
}

/** fold() plus the decoration officers add: trailing ":" or "(*)", "KH." */
function key(text: string): string {
  return fold(text)
    .replace(/\s*(?:\(\*+\)|\*+|:)$/, '')
    .replace(/\.(?=\s|$)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The series a value can belong to: the figure itself, or the plan set by the province or the city. */
export const SERIES_CODES = ['actual', 'plan_province', 'plan_city'] as const;
export type Series = (typeof SERIES_CODES)[number];

const SERIES_WORDS = lookup<Series>({
  actual: ['thực hiện', 'TH', 'ước thực hiện', 'ước TH', 'ƯTH'],
  plan_province: ['KH tỉnh giao', 'Kế hoạch tỉnh giao', 'KH tỉnh', 'Kế hoạch tỉnh', 'kế hoạch', 'KH', 'plan'],
  plan_city: ['KH thành phố', 'KH TP', 'Kế hoạch thành phố', 'KH thành phố giao', 'KH TP giao', 'Kế hoạch TP', 'Kế hoạch thành phố giao'],
});

/** Series of a value; an empty cell means the actual figure. */
export function parseSeries(text: string): Series | null {
  const k = key(text);
  return k === '' ? 'actual' : (SERIES_WORDS.get(k) ?? null);
}

export type ValueStatus = 'estimate' | 'preliminary' | 'official';

const STATUS = lookup<ValueStatus>({
  official: ['chính thức', 'CT'],
  estimate: ['ước', 'ước đạt', 'ước tính', 'ƯTH', 'ước thực hiện', 'ước TH'],
  preliminary: ['sơ bộ', 'SB'],
});

/** Status of a value; an empty cell means official. */
export function parseStatus(text: string): ValueStatus | null {
  const k = key(text);
  return k === '' ? 'official' : (STATUS.get(k) ?? null);
}

export type LongColumn = 'unit' | 'indicator' | 'period' | 'value' | 'uom' | 'series' | 'status' | 'note';

const HEADERS = lookup<LongColumn | 'stt'>({
  unit: ['unit_code', 'unit code', 'mã đơn vị', 'đơn vị', 'phường/xã', 'xã/phường', 'phường', 'xã', 'tên đơn vị', 'địa bàn'],
  indicator: ['indicator_code', 'mã chỉ tiêu', 'chỉ tiêu', 'tên chỉ tiêu'],
  period: ['period_code', 'kỳ báo cáo', 'kỳ', 'thời gian'],
  value: ['giá trị', 'số liệu', 'thực hiện', 'kết quả'],
  uom: ['unit of measure', 'đơn vị tính', 'đvt', 'đv tính', 'đơn vị đo'],
  series: ['loại số liệu', 'loại'],
  status: ['tình trạng', 'trạng thái'],
  note: ['notes', 'ghi chú'],
  stt: ['STT', 'số thứ tự', '#', 'TT'],
});

/**
 * Column role of a long-format header. A trailing parenthetical is tried
 * without as a fallback: "Giá trị (tỷ đồng)" is a value column.
 */
export function matchLongHeader(header: string): LongColumn | 'stt' | null {
  const k = key(header);
  const bare = trailingParenthetical(k)?.bare;
  return HEADERS.get(k) ?? (bare === undefined ? undefined : HEADERS.get(bare)) ?? null;
}
