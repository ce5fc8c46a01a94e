import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  canonicalDecimal,
  conventionEvidence,
  formatNumber,
  isAmbiguous,
  pick,
  readGeneral,
  readNumber,
  readPlainNumber,
  type NumberConvention,
  type NumberReading,
} from '../../src/normalise/numbers.js';

const num = (vi: string | null, en: string | null, percent = false): NumberReading => ({ kind: 'number', vi, en, percent });

describe('readNumber', () => {
  it.each<[string, NumberReading]>([
    // Unambiguous Vietnamese notation.
    ['42,75', num('42.75', null)],
    ['2.644,9', num('2644.9', null)],
    ['1.348.900', num('1348900', null)],
    ['1 348,9', num('1348.9', null)],
    ['1\u00a0348,9', num('1348.9', null)],
    ['0,22', num('0.22', null)],
    // Unambiguous English notation.
    ['1,348.9', num(null, '1348.9')],
    ['13.48', num(null, '13.48')],
    ['0.5', num(null, '0.5')],
    ['1,348,900.25', num(null, '1348900.25')],
    // Both readings.
    ['11', num('11', '11')],
    ['26709', num('26709', '26709')],
    ['1.024', num('1024', '1.024')],
    ['1,024', num('1.024', '1024')],
    ['1 024', num('1024', '1024')],
    ['007', num('7', '7')],
    // Signs and percent.
    ['-3,5', num('-3.5', null)],
    ['-3.5', num(null, '-3.5')],
    ['+12', num('12', '12')],
    ['-0', num('0', '0')],
    ['12,5%', num('12.5', null, true)],
    ['12,5 %', num('12.5', null, true)],
    ['100%', num('100', '100', true)],
    ['  26.709  ', num('26709', '26.709')],
    // Trailing zeros are dropped in the canonical form.
    ['1,50', num('1.5', null)],
    ['2.000,00', num('2000', null)],
    // Digits, "." and "," only take a one-pass reader: the same edge cases as the general one.
    ['.348', num(null, '0.348')],
    [',5', num('0.5', null)],
    ['1.34', num(null, '1.34')],
    ['1.2345', num(null, '1.2345')],
    ['1234,567', num('1234.567', null)],
    ['-0,00', num('0', null)],
    ['000', num('0', '0')],
    ['-1.024', num('-1024', '-1.024')],
    ['1.348.900,05', num('1348900.05', null)],
    ['1,234,567.80', num(null, '1234567.8')],
  ])('%j', (raw, expected) => {
    expect(readNumber(raw)).toEqual(expected);
  });

  it.each(['', '   ', '-', 'x', 'X', '–', ' - '])('%j is empty, never zero', (raw) => {
    expect(readNumber(raw)).toEqual({ kind: 'empty' });
  });

  it.each(['1.', '1.2.3', 'abc', '1..2', '1,,2', '12a', '1e5', '1.2.3,4.5', '1.34.8', '%', '5,', '5.', '1.348 900', '--5', '1,2,3.4,5', '12 34'])(
    '%j is invalid',
    (raw) => {
      expect(readNumber(raw)).toEqual({ kind: 'invalid' });
    },
  );

  it('rejects bad grouping in one reading only', () => {
    // "13.48" cannot be Vietnamese grouping; "1.2345" cannot be either.
    expect(readNumber('13.48')).toMatchObject({ vi: null, en: '13.48' });
    expect(readNumber('1.2345')).toMatchObject({ vi: null, en: '1.2345' });
    expect(readNumber('1234.567')).toMatchObject({ vi: null, en: '1234.567' });
  });
});

describe('the one-pass reader of plain digits, "." and ","', () => {
  it('reads every such text exactly as the general grammar does (property)', () => {
    const plain = fc.string({ unit: fc.constantFrom(...'0123456789.,', '0', '1', '.', ','), minLength: 1, maxLength: 14 });
    fc.assert(
      fc.property(plain, fc.constantFrom('', '-'), fc.boolean(), (text, sign, percent) => {
        expect(readPlainNumber(text, sign, percent)).toEqual(readGeneral(text, sign, percent));
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('isAmbiguous / pick / conventionEvidence', () => {
  it('flags text whose readings disagree', () => {
    expect(isAmbiguous(readNumber('1.024'))).toBe(true);
    expect(isAmbiguous(readNumber('1,024'))).toBe(true);
    expect(isAmbiguous(readNumber('11'))).toBe(false);
    expect(isAmbiguous(readNumber('1 024'))).toBe(false); // both 1024
    expect(isAmbiguous(readNumber('42,75'))).toBe(false);
    expect(isAmbiguous(readNumber(''))).toBe(false);
    expect(isAmbiguous(readNumber('abc'))).toBe(false);
  });

  it('picks the reading of a convention', () => {
    const r = readNumber('1.024');
    if (r.kind !== 'number') throw new Error('expected a number');
    expect(pick(r, 'vi')).toBe('1024');
    expect(pick(r, 'en')).toBe('1.024');
    const viOnly = readNumber('42,75');
    if (viOnly.kind !== 'number') throw new Error('expected a number');
    expect(pick(viOnly, 'en')).toBeNull();
  });

  it.each<[string, NumberConvention | null]>([
    ['42,75', 'vi'],
    ['2.644,9', 'vi'],
    ['1,348.9', 'en'],
    ['13.48', 'en'],
    ['1.024', null],
    ['11', null],
    ['', null],
    ['abc', null],
  ])('evidence of %j is %j', (raw, expected) => {
    expect(conventionEvidence(readNumber(raw))).toBe(expected);
  });
});

describe('canonicalDecimal', () => {
  it.each([
    ['0012.3400', '12.34'],
    ['+1.50', '1.5'],
    ['-0.000', '0'],
    ['.5', '0.5'],
    ['7.', '7'],
    ['-0010', '-10'],
    ['0', '0'],
  ])('%j -> %j', (input, expected) => {
    expect(canonicalDecimal(input)).toBe(expected);
  });

  it.each(['', '.', '1,5', 'abc', '1e3', '--1'])('rejects %j', (input) => {
    expect(() => canonicalDecimal(input)).toThrow();
  });
});

describe('formatNumber', () => {
  it.each<[string, NumberConvention, { decimals?: number; grouping?: boolean } | undefined, string]>([
    ['1348.9', 'vi', undefined, '1.348,9'],
    ['1348.9', 'en', undefined, '1,348.9'],
    ['1348900', 'vi', undefined, '1.348.900'],
    ['-1234567.25', 'en', undefined, '-1,234,567.25'],
    ['1348.9', 'vi', { grouping: false }, '1348,9'],
    ['999', 'vi', undefined, '999'],
    ['0.22', 'vi', undefined, '0,22'],
    ['1348.95', 'vi', { decimals: 1 }, '1.349,0'],
    ['1348.94', 'en', { decimals: 1 }, '1,348.9'],
    ['2.5', 'en', { decimals: 0 }, '3'],
    ['-2.5', 'en', { decimals: 0 }, '-3'],
    ['-0.004', 'vi', { decimals: 2 }, '0,00'],
    ['12', 'vi', { decimals: 2 }, '12,00'],
    ['999.996', 'en', { decimals: 2 }, '1,000.00'],
  ])('%j %s %j -> %j', (value, convention, opts, expected) => {
    expect(formatNumber(value, convention, opts)).toBe(expected);
  });

  const decimalArb = fc
    .tuple(
      fc.boolean(),
      fc.bigInt({ min: 0n, max: 10n ** 15n }),
      fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 6 }),
    )
    .map(([negative, int, frac]) => `${negative ? '-' : ''}${int}${frac ? '.' + frac : ''}`);

  it.each<NumberConvention>(['vi', 'en'])('round-trips through readNumber under %s (property)', (convention) => {
    fc.assert(
      fc.property(decimalArb, fc.boolean(), (value, grouping) => {
        const r = readNumber(formatNumber(value, convention, { grouping }));
        expect(r.kind).toBe('number');
        if (r.kind === 'number') expect(pick(r, convention)).toBe(canonicalDecimal(value));
      }),
    );
  });

  it('formatted values with a fraction are evidence of their convention (property)', () => {
    fc.assert(
      fc.property(decimalArb, fc.constantFrom<NumberConvention>('vi', 'en'), (value, convention) => {
        fc.pre(canonicalDecimal(value).includes('.'));
        const r = readNumber(formatNumber(value, convention));
        // A fraction with anything other than exactly 3 digits (or a grouped
        // integer part) can only be read one way.
        const frac = canonicalDecimal(value).split('.')[1]!;
        const intDigits = canonicalDecimal(value).replace('-', '').split('.')[0]!.length;
        if (frac.length !== 3 || intDigits > 3) expect(conventionEvidence(r)).toBe(convention);
      }),
    );
  });
});
