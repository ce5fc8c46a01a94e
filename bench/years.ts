// --years N: N years of monthly data for every ward and commune of the catalogue (each its own
// source, one file per unit and year), loaded one year after the other into the same warehouse.
// For each year: the load time (scan → intake → normalise → load of that year's files) and the
// rollup time (rollup + publish of that year), so growth with the warehouse's size shows.
import path from 'node:path';
import type { BenchEnv } from './env.js';
import { FIRST_YEAR, LAST_YEAR, wardYearFile, writeLines, type Universe } from './generate.js';
import { expectLoaded, type ScenarioResult } from './load.js';
import { profiledPass } from './profile.js';

export const MAX_YEARS = LAST_YEAR - FIRST_YEAR + 1;

export async function benchYears(env: BenchEnv, u: Universe, years: number, progress: (s: string) => void): Promise<ScenarioResult> {
  if (!Number.isInteger(years) || years < 1 || years > MAX_YEARS) {
    throw new Error(`bench: --years takes 1 to ${MAX_YEARS} (the pre-2025 units exist from ${FIRST_YEAR} to ${LAST_YEAR})`);
  }
  const db = await env.freshDatabase('years');
  const root = await env.tempDir('years');
  const { ctx, database } = await env.context(db, { root });
  const figures: Record<string, number> = {};
  const perYear: Record<string, unknown>[] = [];
  try {
    const units = u.allUnits;
    const rowsPerFile = 12 * u.indicators.length;
    for (let k = 1; k <= years; k++) {
      const year = FIRST_YEAR + k - 1;
      for (const [i, unit] of units.entries()) {
        await writeLines(path.join(root, 'inbox', unit, `so-lieu-thang-${year}.csv`), wardYearFile(u, i, year));
      }
      const { profile } = await profiledPass(ctx);
      await expectLoaded(database, units.length * k);
      const load = ['scan', 'intake', 'normalise', 'load'].reduce((a, s) => a + profile.seconds(s), 0);
      const rollup = profile.seconds('rollup') + profile.seconds('publish');
      figures[`load_s_year_${k}`] = load;
      figures[`rollup_s_year_${k}`] = rollup;
      const timings = profile.toJSON();
      perYear.push({ year, files: units.length, rows: units.length * rowsPerFile, load_s: load, rollup_s: rollup, stages: timings.stages, sql: timings.sql });
      progress(`years: ${year} (${k}/${years}): load ${load.toFixed(2)} s, rollup ${rollup.toFixed(2)} s`);
    }
    const first = figures.load_s_year_1!;
    const last = figures[`load_s_year_${years}`]!;
    figures.load_growth_ratio = last / first;
    figures.rollup_growth_ratio = figures[`rollup_s_year_${years}`]! / figures.rollup_s_year_1!;
    return { figures, details: { units: units.length, files_per_year: units.length, rows_per_file: rowsPerFile, years: perYear } };
  } finally {
    await database.close();
    await env.dropDatabase(db);
  }
}
