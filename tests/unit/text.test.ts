import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fold, nfc, trailingParenthetical } from '../../src/normalise/text.js';

describe('fold', () => {
  it.each([
    ['  Mã  chỉ tiêu ', 'ma chi tieu'],
    ['Phường/Xã', 'phuong/xa'],
    ['ĐƠN VỊ TÍNH', 'don vi tinh'],
    ['đơn_vị__tính', 'don vi tinh'],
    ['Kỳ\tbáo\u00a0cáo', 'ky bao cao'],
    ['Quý II/2022', 'quy ii/2022'],
    ['tr.đ', 'tr.d'],
    ['Giá trị (tỷ đồng)', 'gia tri (ty dong)'],
    ['Mã-chỉ-tiêu', 'ma-chi-tieu'], // hyphens are kept
    ['', ''],
  ])('fold(%j) = %j', (input, expected) => {
    expect(fold(input)).toBe(expected);
  });

  it('gives the same key for NFD input (Windows-1258 style tone marks)', () => {
    const nfd = 'Phường Hòa Khánh Bắc'.normalize('NFD');
    expect(nfd).not.toBe('Phường Hòa Khánh Bắc'); // really decomposed
    expect(fold(nfd)).toBe('phuong hoa khanh bac');
  });

  it('is NFC/NFD-insensitive (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(fold(s.normalize('NFD'))).toBe(fold(s.normalize('NFC')));
      }),
    );
  });

  it('is NFC/NFD-insensitive on Vietnamese text (property)', () => {
    const letters = [...'aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐEÊOÔƠUƯ _/'];
    const tones = ['', '\u0300', '\u0301', '\u0303', '\u0309', '\u0323'];
    const word = fc
      .array(fc.tuple(fc.constantFrom(...letters), fc.constantFrom(...tones)), { maxLength: 20 })
      .map((parts) => parts.map(([l, t]) => l + t).join(''));
    fc.assert(
      fc.property(word, (s) => {
        const key = fold(s);
        expect(fold(s.normalize('NFD'))).toBe(key);
        expect(key).toMatch(/^[a-z /]*$/); // no marks, no đ, no capitals, no runs of spaces
        expect(key).not.toMatch(/ {2}|^ | $/);
      }),
    );
  });

  it('is idempotent (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(fold(fold(s))).toBe(fold(s));
      }),
    );
  });
});

describe('nfc', () => {
  it('composes decomposed Vietnamese', () => {
    const composed = nfc('o\u031B\u0300'); // o + horn + grave
    expect(composed).toBe('ờ');
    expect(composed).toHaveLength(1);
  });
});

describe('trailingParenthetical', () => {
  it('splits off the last parenthetical of a header, and only a last one', () => {
    expect(trailingParenthetical('Giá trị (tỷ đồng)')).toEqual({ bare: 'Giá trị', inner: 'tỷ đồng' });
    expect(trailingParenthetical('Thực hiện ( nghìn đồng )  ')).toEqual({ bare: 'Thực hiện', inner: 'nghìn đồng' });
    expect(trailingParenthetical('Tỷ lệ (%) hộ nghèo')).toBeNull();
    expect(trailingParenthetical('Giá trị')).toBeNull();
  });
});
