import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  matchLongHeader,
  parseSeries,
  parseStatus,
  type LongColumn,
  type Series,
  type ValueStatus,
} from '../../src/normalise/vocabulary.js';

/** Spellings an officer's spreadsheet may produce for the same word. */
const variants = (s: string) => [s, s.toUpperCase(), s.toLowerCase(), s.normalize('NFD'), ` ${s}  `, s.replace(/ /g, '_')];

describe('parseSeries', () => {
  it.each<[string, Series]>([
    ['', 'actual'],
    ['  ', 'actual'],
    ['actual', 'actual'],
    ['Thực hiện', 'actual'],
    ['TH', 'actual'],
    ['ước thực hiện', 'actual'],
    ['plan_province', 'plan_province'],
    ['KH tỉnh giao', 'plan_province'],
    ['Kế hoạch tỉnh giao', 'plan_province'],
    ['KH tỉnh', 'plan_province'],
    ['kế hoạch', 'plan_province'],
    ['KH. tỉnh giao', 'plan_province'],
    ['plan_city', 'plan_city'],
    ['KH thành phố', 'plan_city'],
    ['KH TP', 'plan_city'],
    ['Kế hoạch thành phố', 'plan_city'],
    ['KH thành phố giao', 'plan_city'],
  ])('%j -> %s', (text, series) => {
    for (const v of variants(text)) expect(parseSeries(v), JSON.stringify(v)).toBe(series);
  });

  it.each(['abc', 'kế hoạch huyện', 'plan province city', 'thực'])('%j -> null', (text) => {
    expect(parseSeries(text)).toBeNull();
  });
});

describe('parseStatus', () => {
  it.each<[string, ValueStatus]>([
    ['', 'official'],
    ['official', 'official'],
    ['chính thức', 'official'],
    ['CT', 'official'],
    ['estimate', 'estimate'],
    ['ước', 'estimate'],
    ['ước đạt', 'estimate'],
    ['ước tính', 'estimate'],
    ['ƯTH', 'estimate'],
    ['ước thực hiện', 'estimate'],
    ['ước TH', 'estimate'],
    ['preliminary', 'preliminary'],
    ['sơ bộ', 'preliminary'],
    ['SB', 'preliminary'],
  ])('%j -> %s', (text, status) => {
    for (const v of variants(text)) expect(parseStatus(v), JSON.stringify(v)).toBe(status);
  });

  it.each(['abc', 'thực hiện', 'kế hoạch', 'chính'])('%j -> null', (text) => {
    expect(parseStatus(text)).toBeNull();
  });
});

describe('matchLongHeader', () => {
  it.each<[string, LongColumn | 'stt']>([
    ['unit', 'unit'],
    ['unit_code', 'unit'],
    ['unit code', 'unit'],
    ['Mã đơn vị', 'unit'],
    ['Đơn vị', 'unit'],
    ['Phường/Xã', 'unit'],
    ['Xã/Phường', 'unit'],
    ['Phường', 'unit'],
    ['Xã', 'unit'],
    ['Tên đơn vị', 'unit'],
    ['Địa bàn', 'unit'],
    ['indicator', 'indicator'],
    ['indicator_code', 'indicator'],
    ['Mã chỉ tiêu', 'indicator'],
    ['Chỉ tiêu', 'indicator'],
    ['Tên chỉ tiêu', 'indicator'],
    ['period', 'period'],
    ['period_code', 'period'],
    ['Kỳ báo cáo', 'period'],
    ['Kỳ', 'period'],
    ['Thời gian', 'period'],
    ['value', 'value'],
    ['Giá trị', 'value'],
    ['Số liệu', 'value'],
    ['Thực hiện', 'value'],
    ['Kết quả', 'value'],
    ['uom', 'uom'],
    ['unit of measure', 'uom'],
    ['Đơn vị tính', 'uom'],
    ['ĐVT', 'uom'],
    ['series', 'series'],
    ['Loại số liệu', 'series'],
    ['Loại', 'series'],
    ['status', 'status'],
    ['Tình trạng', 'status'],
    ['Trạng thái', 'status'],
    ['note', 'note'],
    ['notes', 'note'],
    ['Ghi chú', 'note'],
    ['STT', 'stt'],
    ['Số thứ tự', 'stt'],
    ['#', 'stt'],
    ['TT', 'stt'],
    // Decoration officers add.
    ['Giá trị (tỷ đồng)', 'value'],
    ['Mã chỉ tiêu (*)', 'indicator'],
    ['Ghi chú:', 'note'],
  ])('%j -> %s', (header, column) => {
    for (const v of variants(header)) expect(matchLongHeader(v), JSON.stringify(v)).toBe(column);
  });

  it.each(['', 'abc', 'Mã', 'Tên', 'Giá', 'Năm 2022', 'Thu ngân sách'])('%j -> null', (header) => {
    expect(matchLongHeader(header)).toBeNull();
  });

  it('never confuses "đơn vị" (unit) with "đơn vị tính" (unit of measure)', () => {
    expect(matchLongHeader('đơn vị')).toBe('unit');
    expect(matchLongHeader('đơn vị tính')).toBe('uom');
  });

  it('ignores case, accents form and spacing (property)', () => {
    const headers = ['Mã đơn vị', 'Mã chỉ tiêu', 'Kỳ báo cáo', 'Giá trị', 'Đơn vị tính', 'Loại số liệu', 'Trạng thái', 'Ghi chú'];
    fc.assert(
      fc.property(
        fc.constantFrom(...headers),
        fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }),
        fc.constantFrom(' ', '  ', '_', '\t', '\u00a0'),
        fc.constantFrom<'NFC' | 'NFD'>('NFC', 'NFD'),
        (header, upper, space, form) => {
          const messy = [...header]
            .map((ch, i) => (upper[i % upper.length] ? ch.toUpperCase() : ch))
            .join('')
            .replace(/ /g, space)
            .normalize(form);
          expect(matchLongHeader(messy)).toBe(matchLongHeader(header));
          expect(matchLongHeader(header)).not.toBeNull();
        },
      ),
    );
  });
});
