// Exact decimal arithmetic on canonical decimal strings ("1348.9"), for checking a table's total row
// against its rows to the last digit (no binary floating point).

export interface Decimal {
  units: bigint; // value × 10^scale
  scale: number;
}

export function parseDecimal(text: string): Decimal {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new RangeError(`not a decimal: ${text}`);
  const fraction = match[3] ?? '';
  const units = BigInt(match[2]! + fraction);
  return { units: match[1] ? -units : units, scale: fraction.length };
}

export const ZERO: Decimal = { units: 0n, scale: 0 };

function align(a: Decimal, scale: number): bigint {
  return a.units * 10n ** BigInt(scale - a.scale);
}

export function add(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: align(a, scale) + align(b, scale), scale };
}

export function multiply(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** a / b rounded half away from zero to `decimals` places. */
export function divide(a: Decimal, b: Decimal, decimals: number): Decimal {
  if (b.units === 0n) throw new RangeError('division by zero');
  // a/b = (a.units / 10^a.scale) / (b.units / 10^b.scale); scale the numerator so the quotient has decimals + 1 digits.
  const numerator = a.units * 10n ** BigInt(decimals + 1 + b.scale);
  const denominator = b.units * 10n ** BigInt(a.scale);
  return roundLastDigit(numerator / denominator, decimals);
}

export function round(a: Decimal, decimals: number): Decimal {
  if (a.scale <= decimals) return a;
  return roundLastDigit(a.units / 10n ** BigInt(a.scale - decimals - 1), decimals);
}

// `units` carries one extra digit beyond `decimals`; round it away, half away from zero.
function roundLastDigit(units: bigint, decimals: number): Decimal {
  const negative = units < 0n;
  const magnitude = negative ? -units : units;
  const rounded = (magnitude + 5n) / 10n;
  return { units: negative ? -rounded : rounded, scale: decimals };
}

export function equals(a: Decimal, b: Decimal): boolean {
  const scale = Math.max(a.scale, b.scale);
  return align(a, scale) === align(b, scale);
}

export function format(a: Decimal): string {
  const negative = a.units < 0n;
  const digits = (negative ? -a.units : a.units).toString().padStart(a.scale + 1, '0');
  const whole = digits.slice(0, digits.length - a.scale);
  const fraction = a.scale > 0 ? `.${digits.slice(digits.length - a.scale)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

export function negate(a: Decimal): Decimal {
  return { units: -a.units, scale: a.scale };
}

export function absolute(a: Decimal): Decimal {
  return a.units < 0n ? negate(a) : a;
}

export function lessThan(a: Decimal, b: Decimal): boolean {
  const scale = Math.max(a.scale, b.scale);
  return align(a, scale) < align(b, scale);
}

/** One unit of the `decimals`-th place: 0.01 for 2. */
export function oneUnit(decimals: number): Decimal {
  return { units: 1n, scale: decimals };
}
