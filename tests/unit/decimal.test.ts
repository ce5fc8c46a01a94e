import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { absolute, add, divide, equals, format, lessThan, multiply, negate, oneUnit, parseDecimal, round } from '../../src/normalise/decimal.js';

const decimalText = fc
  .tuple(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: 0, max: 6 }))
  .map(([units, scale]) => format({ units, scale }));

describe('exact decimals', () => {
  it('adds without losing a digit where floats would', () => {
    expect(format(add(parseDecimal('0.1'), parseDecimal('0.2')))).toBe('0.3');
    expect(format(add(parseDecimal('1258.07'), parseDecimal('90.83')))).toBe('1348.90');
  });

  it('rounds half away from zero', () => {
    expect(format(round(parseDecimal('2.345'), 2))).toBe('2.35');
    expect(format(round(parseDecimal('-2.345'), 2))).toBe('-2.35');
    expect(format(round(parseDecimal('2.344'), 2))).toBe('2.34');
    expect(format(round(parseDecimal('2.3'), 2))).toBe('2.3');
  });

  it('divides to a number of decimals', () => {
    expect(format(divide(parseDecimal('1'), parseDecimal('3'), 4))).toBe('0.3333');
    expect(format(divide(parseDecimal('9'), parseDecimal('4112'), 2))).toBe('0.00');
    expect(format(divide(parseDecimal('900'), parseDecimal('4112'), 2))).toBe('0.22');
    expect(format(divide(parseDecimal('2'), parseDecimal('3'), 0))).toBe('1');
  });

  it('parses what it formats, and addition is exact (property)', () => {
    fc.assert(
      fc.property(decimalText, decimalText, (a, b) => {
        expect(format(parseDecimal(a))).toBe(a);
        const sum = add(parseDecimal(a), parseDecimal(b));
        // a + b - b == a, exactly
        expect(equals(add(sum, multiply(parseDecimal(b), parseDecimal('-1'))), parseDecimal(a))).toBe(true);
      }),
    );
  });

  it('compares, negates and takes magnitudes exactly, across scales (property)', () => {
    fc.assert(
      fc.property(decimalText, decimalText, (a, b) => {
        const x = parseDecimal(a);
        const y = parseDecimal(b);
        // Whole numbers of millionths: exact in a bigint, and the order of the decimals.
        const micro = (text: string) => {
          const d = parseDecimal(text);
          return d.units * 10n ** BigInt(6 - d.scale);
        };
        expect(lessThan(x, y)).toBe(micro(a) < micro(b));
        expect(equals(add(x, negate(x)), parseDecimal('0'))).toBe(true);
        expect(lessThan(absolute(x), parseDecimal('0'))).toBe(false);
        expect(equals(absolute(x), absolute(negate(x)))).toBe(true);
      }),
    );
    expect(format(oneUnit(2))).toBe('0.01');
    expect(format(oneUnit(0))).toBe('1');
  });
});
