// How a rollup splits its pending years into passes. A year's derived figures depend only on that
// year's cells, so any set of consecutive years can be rolled up in one pass whose statements read
// only those years' partitions, and passes can run side by side. Few cells (a night of ward files
// spread over a year or two): one pass, as each pass costs some twenty statements whatever its
// size. Many cells (history loaded in bulk): one pass per year, whose hash joins stay within one
// year's partitions. The cells of a year are counted before the claim, from the values of the
// loads waiting for it (rollup_plan.sql): an upper bound, exact for a one-year file.

export interface YearCells {
  year: number;
  cells: number;
}

/** Consecutive years grouped while their cells together stay within maxCells; years ascending. */
export function rollupBatches(years: readonly YearCells[], maxCells: number): number[][] {
  const batches: { years: number[]; cells: number }[] = [];
  for (const { year, cells } of years) {
    const last = batches.at(-1);
    if (last && last.years.at(-1)! + 1 === year && last.cells + cells <= maxCells) {
      last.years.push(year);
      last.cells += cells;
    } else {
      batches.push({ years: [year], cells });
    }
  }
  return batches.map((b) => b.years);
}
