// `dstats demo`: writes a realistic drop root for TP Thái Nguyên (inbox/<source>/<file>), the same
// bytes for the same seed. The lead's CLI runs the pipeline on it afterwards.
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readCatalog } from '../catalog/files.js';
import { budgetFiles } from './budget-files.js';
import { departmentFiles } from './department-reports.js';
import { digitalTableFiles } from './digital-tables.js';
import { DEMO_FIRST_DAY, DEMO_LAST_DAY, DEMO_MONTHS, DEMO_YEARS, demoFigures } from './figures.js';
import type { DemoFile, DemoManifest, DemoSlot } from './manifest.js';
import { expectedSlots, planSlots, slotKey, type SlotPlan } from './schedule.js';
import { socialTableFiles } from './social-tables.js';
import { fixed } from './table-text.js';
import { demoUnits } from './units.js';
import { wardReportFiles } from './ward-reports.js';
import { assignStyles } from './ward-styles.js';

export interface DemoOptions {
  /** seed of every random draw (default 20220630) */
  seed?: number;
  /** the moment the demo is made: no file's mtime is later than a minute before it (default: now) */
  now?: Date;
  /** catalogue directory (default: schemas/) */
  catalogDir?: string;
}

export const DEFAULT_DEMO_SEED = 20220630;

/** Every file of the demo, in a fixed order, with the slot plan behind it. */
export async function buildDemoFiles(options: DemoOptions = {}): Promise<{ files: DemoFile[]; slots: SlotPlan[]; cityBudget: Map<string, number> }> {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const catalog = await readCatalog(options.catalogDir);
  const { city, wards } = demoUnits(catalog, DEMO_FIRST_DAY, DEMO_LAST_DAY);
  const figures = demoFigures(seed, wards);
  const styles = assignStyles(seed, wards);
  const byStyle = (f: (id: string) => boolean) => new Set([...styles].filter(([, s]) => f(s.id)).map(([code]) => code));
  const slots = planSlots(seed, expectedSlots(catalog, wards, city.code), city.code, {
    wardsWithUnitColumn: byStyle((id) => id === 'unit-column-tab'),
    wardsWritingVietnamese: byStyle((id) => id !== 'english'),
  });
  const slotMap = new Map(slots.map((s) => [slotKey(s.source, s.period), s]));
  const files = [
    ...wardReportFiles(seed, catalog, figures.wards, styles, slotMap, DEMO_YEARS),
    ...budgetFiles(seed, figures.wards, slotMap, DEMO_YEARS),
    ...digitalTableFiles(figures.wards, slotMap, DEMO_MONTHS),
    ...socialTableFiles(figures.wards, slotMap, DEMO_YEARS),
    ...departmentFiles(seed, catalog, figures.city, city.code, figures.wards, slotMap, DEMO_YEARS),
  ];
  return { files, slots, cityBudget: figures.city.budgetTotal };
}

function manifestOf(files: DemoFile[], slots: SlotPlan[], cityBudget: Map<string, number>): DemoManifest {
  const bySource: Record<string, number> = {};
  for (const f of [...files].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0))) bySource[f.source] = (bySource[f.source] ?? 0) + 1;
  const accepted = files.filter((f) => !f.broken);
  const filesBySlot = new Map<string, DemoFile[]>();
  for (const f of files) {
    for (const period of f.periods) {
      const key = slotKey(f.source, period);
      filesBySlot.set(key, [...(filesBySlot.get(key) ?? []), f]);
    }
  }
  const demoSlots: DemoSlot[] = slots.map((s) => {
    const sent = (filesBySlot.get(slotKey(s.source, s.period)) ?? []).filter((f) => f.form === s.form);
    return {
      source: s.source,
      form: s.form,
      period: s.period,
      deadline: s.deadline,
      // A source the demo writes nothing for is simply missing.
      intended: sent.length === 0 ? 'missing' : s.intended,
      submissions: sent.map((f) => ({ file: f.name, submittedAt: f.submittedAt.toISOString(), accepted: !f.broken })),
    };
  });
  return {
    files: files.length,
    bySource,
    broken: files.filter((f) => f.broken).map((f) => ({ source: f.source, file: f.name, reason: f.broken!.reason, code: f.broken!.code })),
    periods: [...new Set(accepted.flatMap((f) => f.periods))].sort(),
    values: accepted.reduce((sum, f) => sum + f.values, 0),
    slots: demoSlots,
    expected: { cityBudgetRevenue: Object.fromEntries([...cityBudget].map(([half, hundredths]) => [half, fixed(hundredths, 2)])) },
  };
}


/**
 * Writes `<root>/inbox/<source>/<file>` for the demo and returns what was written. Each file's
 * mtime is its notional submission time, so a scan takes them at once (they are long settled).
 */
export async function writeDemoDropRoot(root: string, options: DemoOptions = {}): Promise<DemoManifest> {
  const now = options.now ?? new Date();
  const { files, slots, cityBudget } = await buildDemoFiles(options);
  const latest = now.getTime() - 60_000;
  for (const file of files) {
    const dir = path.join(root, 'inbox', file.source);
    await mkdir(dir, { recursive: true });
    const target = path.join(dir, file.name);
    await writeFile(target, file.bytes);
    const when = new Date(Math.min(file.submittedAt.getTime(), latest));
    await utimes(target, when, when);
  }
  return manifestOf(files, slots, cityBudget);
}

