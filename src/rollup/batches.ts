// How a rollup splits its pending years into passes. A year's derived figures depend only on that
// year's cells, so any set of consecutive years can be rolled up in one pass whose statements read
// only those years' partitions, and passes can run side by side. Few cells (a night of ward files
// spread over a year or two): one pass, as each pass costs some twenty statements whatever its
// size. Many cells (history loaded in bulk): one pass per year, whose hash joins stay within one
// year's partitions. In between (a rollup of some hundreds of ward files), as many passes as may
// run at once: one pass is one connection, so one Postgres core, and the last rollup of a night
// runs after the last load, with nothing else beside it. The cells of a year are counted before
// the claim, from the values of the loads waiting for it (rollup_plan.sql): an upper bound, exact
// for a one-year file.

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

/** Cells from which a rollup is worth splitting to run its passes side by side. */
export const SPLIT_FROM_CELLS = 5_000;

/**
 * The most cells one pass of this rollup takes: `maxCells`, and for a rollup of more than
 * SPLIT_FROM_CELLS no more than its share of `concurrency` passes (if its years allow that many).
 */
export function passCellLimit(years: readonly YearCells[], maxCells: number, concurrency: number): number {
  const total = years.reduce((sum, y) => sum + y.cells, 0);
  if (total <= SPLIT_FROM_CELLS || concurrency <= 1) return maxCells;
  return Math.min(maxCells, Math.max(SPLIT_FROM_CELLS, Math.ceil(total / concurrency)));
}
