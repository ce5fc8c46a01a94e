// Notices, while a file streams in, whether any cell (unit, indicator, period, series) comes twice.
// Finding which lines repeat a cell takes a sort of every staged row in SQL (sql/queries/
// staged_repeats.sql: 1.9 s of the checks' 3.4 s for 1,000,000 rows); a file that never repeats a
// cell, nearly every file, skips it. Exact up to MAX_CELLS distinct cells, so no repeat is missed;
// past that the set is dropped (a flat memory for a 1 GB file) and the SQL check always runs.
import type { StagedValue } from './staged-value.js';

/** Distinct cells remembered before giving up: 2^21 cells in 2^22 slots of 8 bytes, 32 MB. */
export const MAX_CELLS = 1 << 21;
const FIRST_SLOTS = 1 << 10;

// A cell packs into two 32-bit words: the unit key, and the file's own numbers for its indicator,
// period and series in 12 + 16 + 3 bits. A file with more distinct texts than that gives up too.
const INDICATOR_IDS = 1 << 12;
const PERIOD_IDS = 1 << 16;
const SERIES_IDS = 1 << 3;

export class RepeatedCells {
  private readonly indicatorIds = new Map<string, number>();
  private readonly periodIds = new Map<string, number>();
  private readonly seriesIds = new Map<string, number>();
  private units: Uint32Array | null;
  /** the packed rest of the cell, plus one: 0 marks an empty slot */
  private rests: Uint32Array | null;
  private size = 0;
  private repeated = false;

  constructor(private readonly maxCells = MAX_CELLS) {
    this.units = new Uint32Array(FIRST_SLOTS);
    this.rests = new Uint32Array(FIRST_SLOTS);
  }

  /** True once a cell came twice, or once the file had too many cells to tell. */
  get possible(): boolean {
    return this.repeated || this.units === null;
  }

  add(value: StagedValue): void {
    if (this.possible) return;
    const indicator = idOf(this.indicatorIds, value.indicatorCode);
    const period = idOf(this.periodIds, value.periodCode);
    const series = idOf(this.seriesIds, value.series);
    if (indicator >= INDICATOR_IDS || period >= PERIOD_IDS || series >= SERIES_IDS || value.unitKey < 0 || value.unitKey > 0xffffffff) {
      this.giveUp();
      return;
    }
    const rest = (indicator | (period << 12) | (series << 28)) + 1;
    if (this.insert(value.unitKey, rest) && ++this.size * 2 > this.units!.length) this.grow();
  }

  /** Inserts the cell; false when it was there already. */
  private insert(unit: number, rest: number): boolean {
    const units = this.units!;
    const rests = this.rests!;
    const mask = units.length - 1;
    for (let slot = hash(unit, rest) & mask; ; slot = (slot + 1) & mask) {
      if (rests[slot] === 0) {
        units[slot] = unit;
        rests[slot] = rest;
        return true;
      }
      if (rests[slot] === rest && units[slot] === unit) {
        this.repeated = true;
        return false;
      }
    }
  }

  private grow(): void {
    if (this.size > this.maxCells) {
      this.giveUp();
      return;
    }
    const units = this.units!;
    const rests = this.rests!;
    this.units = new Uint32Array(units.length * 2);
    this.rests = new Uint32Array(units.length * 2);
    for (let slot = 0; slot < units.length; slot++) if (rests[slot] !== 0) this.insert(units[slot]!, rests[slot]!);
  }

  private giveUp(): void {
    this.units = null;
    this.rests = null;
  }
}

/** Numbers a file's distinct texts 0, 1, 2, … in the order they come. */
function idOf(ids: Map<string, number>, text: string): number {
  let id = ids.get(text);
  if (id === undefined) ids.set(text, (id = ids.size));
  return id;
}

/** A well-mixed 32-bit hash of the two words (murmur3's finaliser). */
function hash(unit: number, rest: number): number {
  let h = Math.imul(unit, 0x9e3779b1) ^ rest;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
