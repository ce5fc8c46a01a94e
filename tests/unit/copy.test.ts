import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { copyField, copyLine } from '../../src/db/copy.js';

describe('copyLine', () => {
  it('is the fields joined by tabs, with a line break', () => {
    expect(copyLine(['0', 12, null, 'a\tb\\c\nd\re', 1.5, true, 3n])).toBe('0\t12\t\\N\ta\\tb\\\\c\\nd\\re\t1.5\ttrue\t3\n');
    expect(copyLine([])).toBe('\n');
  });

  it('matches copyField per value (property)', () => {
    const value = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constant(null), fc.boolean(), fc.bigInt());
    fc.assert(
      fc.property(fc.array(value, { maxLength: 14 }), (row) => {
        expect(copyLine(row)).toBe(row.map(copyField).join('\t') + '\n');
      }),
    );
  });
});
