import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CANONICAL_UOMS, convertUom, describeUom } from '../../src/normalise/uom.js';

const factor = (text: string | null | undefined, canonical: string) => {
  const c = convertUom(text, canonical);
  return c.ok ? c.factor : null;
};

describe('convertUom', () => {
  it.each<[string | null | undefined, string, string]>([
    // Empty means "already in the canonical unit".
    [undefined, 'bn_vnd', '1'],
    [null, 'pct', '1'],
    ['', 'mn_vnd', '1'],
    ['   ', 'count', '1'],
    // Money in VND.
    ['tỷ đồng', 'bn_vnd', '1'],
    ['Tỷ đồng', 'bn_vnd', '1'],
    ['TỶ ĐỒNG', 'bn_vnd', '1'],
    ['(tỷ đồng)', 'bn_vnd', '1'],
    ['tỷ', 'bn_vnd', '1'],
    ['tỉ đồng', 'bn_vnd', '1'],
    ['billion VND', 'bn_vnd', '1'],
    ['bn_vnd', 'bn_vnd', '1'],
    ['triệu đồng', 'bn_vnd', '0.001'],
    ['triệu', 'bn_vnd', '0.001'],
    ['tr.đ', 'bn_vnd', '0.001'],
    ['trđ', 'bn_vnd', '0.001'],
    ['million VND', 'bn_vnd', '0.001'],
    ['mn_vnd', 'bn_vnd', '0.001'],
    ['nghìn đồng', 'bn_vnd', '0.000001'],
    ['ngàn đồng', 'bn_vnd', '0.000001'],
    ['thousand VND', 'bn_vnd', '0.000001'],
    ['đồng', 'bn_vnd', '0.000000001'],
    ['VND', 'bn_vnd', '0.000000001'],
    ['tỷ đồng', 'mn_vnd', '1000'],
    ['triệu đồng', 'mn_vnd', '1'],
    ['nghìn đồng', 'mn_vnd', '0.001'],
    ['đồng', 'mn_vnd', '0.000001'],
    ['nghìn tỷ đồng', 'bn_vnd', '1000'],
    ['tỷ đồng'.normalize('NFD'), 'mn_vnd', '1000'],
    // USD.
    ['triệu USD', 'mn_usd', '1'],
    ['mn_usd', 'mn_usd', '1'],
    ['million USD', 'mn_usd', '1'],
    ['tỷ USD', 'mn_usd', '1000'],
    ['billion USD', 'mn_usd', '1000'],
    ['nghìn USD', 'mn_usd', '0.001'],
    ['USD', 'mn_usd', '0.000001'],
    // Money per hectare.
    ['triệu đồng/ha', 'mn_vnd_per_ha', '1'],
    ['trđ/ha', 'mn_vnd_per_ha', '1'],
    ['triệu đồng / ha', 'mn_vnd_per_ha', '1'],
    ['tỷ đồng/ha', 'mn_vnd_per_ha', '1000'],
    ['nghìn đồng/ha', 'mn_vnd_per_ha', '0.001'],
    // Percent.
    ['%', 'pct', '1'],
    ['(%)', 'pct', '1'],
    ['phần trăm', 'pct', '1'],
    ['pct', 'pct', '1'],
    ['percent', 'pct', '1'],
    // Counts.
    ...['count', 'cái', 'số', 'điểm', 'lượt', 'camera', 'tài khoản', 'hồ sơ', 'thủ tục', 'thủ tục hành chính', 'dự án', 'doanh nghiệp', 'chợ', 'tổ', 'thẻ', 'chiếc', 'xã', 'đơn vị', 'Điểm', 'Hồ sơ'].map(
      (w): [string, string, string] => [w, 'count', '1'],
    ),
    // People and households.
    ['người', 'persons', '1'],
    ['nhân khẩu', 'persons', '1'],
    ['persons', 'persons', '1'],
    ['thành viên', 'persons', '1'],
    ['hộ', 'households', '1'],
    ['Hộ', 'households', '1'],
    ['households', 'households', '1'],
    ['hộ gia đình', 'households', '1'],
    // Area.
    ['ha', 'ha', '1'],
    ['hécta', 'ha', '1'],
    ['héc ta', 'ha', '1'],
    ['hectare', 'ha', '1'],
    // Points, rank, bool.
    ['điểm', 'points', '1'],
    ['points', 'points', '1'],
    ['điểm số', 'points', '1'],
    ['hạng', 'rank', '1'],
    ['thứ hạng', 'rank', '1'],
    ['rank', 'rank', '1'],
    ['xếp hạng', 'rank', '1'],
    ['đạt/không đạt', 'bool', '1'],
    ['Đạt / Không đạt', 'bool', '1'],
    ['bool', 'bool', '1'],
    ['có/không', 'bool', '1'],
  ])('%j -> %s: factor %s', (text, canonical, expected) => {
    expect(convertUom(text, canonical)).toEqual({ ok: true, factor: expected });
  });

  it.each<[string, string]>([
    ['kg', 'bn_vnd'],
    ['hộ', 'pct'],
    ['%', 'bn_vnd'],
    ['USD', 'bn_vnd'], // no exchange rates here
    ['tỷ đồng', 'mn_usd'],
    ['tỷ đồng', 'mn_vnd_per_ha'],
    ['triệu đồng/ha', 'mn_vnd'],
    ['người', 'households'],
    ['hộ', 'persons'],
    ['người', 'count'],
    ['ha', 'count'],
    ['điểm', 'rank'],
    ['hạng', 'points'],
    ['tấn', 'count'],
    ['triệu đồng', 'no_such_unit'],
    ['abc', 'pct'],
  ])('%j is not convertible to %s', (text, canonical) => {
    expect(convertUom(text, canonical)).toEqual({ ok: false });
  });

  it('factors are exact decimal strings, not floats', () => {
    expect(factor('đồng', 'bn_vnd')).toBe('0.000000001'); // String(1e-9) would be "1e-9"
    expect(factor('nghìn tỷ đồng', 'mn_vnd')).toBe('1000000');
  });

  it('the same money word converts to tỷ and to triệu consistently (property)', () => {
    const money = ['tỷ đồng', 'triệu đồng', 'nghìn đồng', 'đồng', 'nghìn tỷ đồng', 'tr.đ', 'VND', 'billion VND'];
    const exponent = (s: string) => (s.startsWith('0.') ? -(s.length - 2) : s.length - 1);
    fc.assert(
      fc.property(fc.constantFrom(...money), fc.constantFrom('lower', 'upper', 'nfd'), (word, variant) => {
        const text = variant === 'lower' ? word.toLowerCase() : variant === 'upper' ? word.toUpperCase() : word.normalize('NFD');
        const toBn = factor(text, 'bn_vnd');
        const toMn = factor(text, 'mn_vnd');
        expect(toBn).toMatch(/^(1|10+|0\.0*1)$/); // a power of ten, written out
        expect(toMn).toMatch(/^(1|10+|0\.0*1)$/);
        expect(exponent(toMn!)).toBe(exponent(toBn!) + 3); // 1 tỷ = 1000 triệu
      }),
    );
  });
});

describe('describeUom', () => {
  it.each([
    ['bn_vnd', 'tỷ đồng', 'billion VND'],
    ['mn_vnd', 'triệu đồng', 'million VND'],
    ['mn_usd', 'triệu USD', 'million USD'],
    ['pct', '%', '%'],
    ['households', 'hộ', 'households'],
  ])('%s', (code, vi, en) => {
    expect(describeUom(code, 'vi')).toBe(vi);
    expect(describeUom(code, 'en')).toBe(en);
  });

  it('every canonical unit reads back as itself from its descriptions and code', () => {
    for (const code of CANONICAL_UOMS) {
      for (const text of [code, describeUom(code, 'vi'), describeUom(code, 'en')]) {
        expect(convertUom(text, code), `${text} -> ${code}`).toEqual({ ok: true, factor: '1' });
      }
    }
    expect(CANONICAL_UOMS).toEqual(
      expect.arrayContaining(['bn_vnd', 'mn_vnd', 'mn_vnd_per_ha', 'mn_usd', 'pct', 'count', 'persons', 'households', 'ha', 'bool', 'rank', 'points']),
    );
  });

  it('returns unknown codes unchanged', () => {
    expect(describeUom('furlongs', 'vi')).toBe('furlongs');
  });
});

describe('lengths', () => {
  it('converts metres and kilometres to the catalogue unit km', () => {
    expect(convertUom('km', 'km')).toEqual({ ok: true, factor: '1' });
    expect(convertUom('m', 'km')).toEqual({ ok: true, factor: '0.001' });
    expect(convertUom('ki lô mét', 'km')).toEqual({ ok: true, factor: '1' });
    expect(convertUom('kg', 'km')).toEqual({ ok: false });
  });
});
