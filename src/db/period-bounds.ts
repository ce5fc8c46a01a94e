// Every table that grows with the years is partitioned by ranges of period codes, one year each
// (every period code starts with its four-digit year). A statement given its years as
// period-code bounds, as parameters, is planned over those years' partitions only, so its cost
// does not grow with the years the warehouse holds.

/** Bounds that hold every period code: for a caller that does not know its years. */
export const EVERY_YEAR: readonly [string, string] = ['0000', '99999'];

const yearCode = (year: number) => String(year).padStart(4, '0');

/** Consecutive years as period-code bounds: 2000-2002 → ['2000', '2003']. */
export function yearBounds(years: readonly number[]): [string, string] {
  if (years.length === 0) return [...EVERY_YEAR];
  return [yearCode(Math.min(...years)), yearCode(Math.max(...years) + 1)];
}

/** The years of some period codes, ascending and once each; null when a code says nothing of its year. */
export function periodYears(periods: readonly string[]): number[] | null {
  const years = periods.map((code) => (/^\d{4}/.test(code) ? Number(code.slice(0, 4)) : NaN));
  return years.every(Number.isInteger) ? [...new Set(years)].sort((a, b) => a - b) : null;
}

/** The bounds of the years of some period codes: ['2023Q4', '202401'] → ['2023', '2025']. */
export function periodBounds(periods: readonly string[]): [string, string] {
  const years = periodYears(periods);
  return years ? yearBounds(years) : [...EVERY_YEAR];
}
