// The catalogue in memory, for resolving what a submission says (codes, names, aliases) without a
// query per row. Loaded from the database, so every worker sees what `catalog sync` stored.
import type { Kysely } from 'kysely';
import type { Selectable } from 'kysely';
import type { DB, IndicatorTable } from '../db/schema.js';
import { DstatsError } from '../errors.js';
import { fold } from '../normalise/text.js';
import type { FormRecord, SourceRecord } from './model.js';

export interface UnitVersion {
  unitKey: number;
  code: string;
  name: string;
  type: string;
  level: number;
  validFrom: string;
  validTo: string | null;
  /** unit keys of this unit and all its ancestors */
  lineage: Set<number>;
  /** codes of this unit and all its ancestors */
  lineageCodes: Set<string>;
}

export type Indicator = Selectable<IndicatorTable>;

/** Who may submit, and for which units (as synced from the catalogue). */
export type Source = SourceRecord;

export type UnitResolution =
  | { ok: true; unit: UnitVersion }
  | { ok: false; code: 'UNKNOWN_UNIT' | 'AMBIGUOUS_UNIT' | 'UNIT_NOT_ALLOWED'; candidates: UnitVersion[] };

// Prefixes officers write in front of unit names, longest first: "P. Quán Triều", "TT. Hùng Sơn".
const NAME_PREFIXES = ['thanh pho', 'thi tran', 'thi xa', 'phuong', 'huyen', 'tinh', 'quan', 'xa', 'tp.', 'tp', 'tt.', 'tt', 'p.', 'x.', 'h.', 'q.', 'p', 'x', 'h', 'q'];

/** Folded unit name without its administrative prefix: "P. Hoàng Văn Thụ" → "hoang van thu". */
export function bareUnitName(name: string): string {
  const folded = fold(name);
  for (const prefix of NAME_PREFIXES) {
    if (folded.startsWith(`${prefix} `) || (prefix.endsWith('.') && folded.startsWith(prefix) && folded.length > prefix.length)) {
      return folded.slice(prefix.length).trim();
    }
  }
  return folded;
}

export class CatalogLookup {
  private readonly unitsByCode = new Map<string, UnitVersion[]>();
  private readonly unitsByName = new Map<string, UnitVersion[]>();
  private readonly indicatorsByKey = new Map<string, Indicator>();
  readonly indicators = new Map<string, Indicator>();
  readonly sources = new Map<string, Source>();

  constructor(
    units: UnitVersion[],
    indicators: Indicator[],
    sources: Source[],
    aliasesByKey: Map<number, string[]>,
    readonly forms: FormRecord[],
    /** The `catalog sync` it was read after (core.catalog_version). */
    readonly version: string,
  ) {
    for (const unit of units) {
      push(this.unitsByCode, unit.code, unit);
      const names = new Set([fold(unit.name), bareUnitName(unit.name)]);
      for (const alias of aliasesByKey.get(unit.unitKey) ?? []) names.add(bareUnitName(alias)).add(fold(alias));
      for (const name of names) push(this.unitsByName, name, unit);
    }
    for (const indicator of indicators) {
      this.indicators.set(indicator.code, indicator);
      for (const key of [indicator.code, indicator.name_vi, indicator.name_en, ...indicator.aliases]) {
        this.indicatorsByKey.set(fold(key), indicator);
      }
    }
    for (const source of sources) this.sources.set(source.sourceId, source);
  }

  static async load(db: Kysely<DB>): Promise<CatalogLookup> {
    // Read before the rest: a sync committing meanwhile then makes the version look old, never new.
    const { version } = await db.selectFrom('core.catalog_version').select('version').executeTakeFirstOrThrow();
    const [unitRows, ancestorRows, indicatorRows, sourceRows, formRows] = await Promise.all([
      db.selectFrom('core.unit').selectAll().execute(),
      db
        .selectFrom('core.unit_ancestor as ua')
        .innerJoin('core.unit as a', 'a.unit_key', 'ua.ancestor_key')
        .select(['ua.unit_key', 'ua.ancestor_key', 'a.code'])
        .execute(),
      db.selectFrom('core.indicator').selectAll().execute(),
      db.selectFrom('core.source').selectAll().execute(),
      db.selectFrom('core.form').selectAll().orderBy('form_id').execute(),
    ]);
    if (unitRows.length === 0 || indicatorRows.length === 0) throw new DstatsError('CATALOG_EMPTY');
    const lineage = new Map<number, { keys: Set<number>; codes: Set<string> }>();
    for (const row of ancestorRows) {
      const entry = lineage.get(row.unit_key) ?? { keys: new Set<number>(), codes: new Set<string>() };
      entry.keys.add(row.ancestor_key);
      entry.codes.add(row.code);
      lineage.set(row.unit_key, entry);
    }
    const units: UnitVersion[] = unitRows.map((u) => ({
      unitKey: u.unit_key,
      code: u.code,
      name: u.name,
      type: u.type,
      level: u.level,
      validFrom: u.valid_from,
      validTo: u.valid_to,
      lineage: lineage.get(u.unit_key)?.keys ?? new Set([u.unit_key]),
      lineageCodes: lineage.get(u.unit_key)?.codes ?? new Set([u.code]),
    }));
    const aliases = new Map(unitRows.map((u) => [u.unit_key, u.aliases]));
    const sources: Source[] = sourceRows.map((s) => ({
      sourceId: s.source_id,
      name: s.name,
      kind: s.kind,
      scope: s.scope,
      scopeUnitCode: s.scope_unit_code,
      locale: s.locale,
      acceptValidRows: s.accept_valid_rows,
    }));
    const forms: FormRecord[] = formRows.map((f) => ({
      formId: f.form_id,
      nameVi: f.name_vi,
      nameEn: f.name_en,
      deadlineDays: f.deadline_days,
      unitHeaders: f.definition.unit_headers,
      columns: f.definition.columns,
    }));
    return new CatalogLookup(units, indicatorRows, sources, aliases, forms, version);
  }

  findIndicator(text: string): Indicator | undefined {
    return this.indicatorsByKey.get(fold(text));
  }

  /** May this source report for this unit (SPEC §3)? */
  allows(source: Source, unit: UnitVersion): boolean {
    return source.scope === 'self' ? unit.code === source.scopeUnitCode : unit.lineageCodes.has(source.scopeUnitCode);
  }

  /** The unit a source reports for when the file has no unit column (a ward's own folder, self:164). */
  impliedUnit(source: Source, onDate: string): UnitVersion | undefined {
    if (source.scope !== 'self') return undefined;
    return validOn(this.unitsByCode.get(source.scopeUnitCode) ?? [], onDate)[0];
  }

  /**
   * Resolves a unit by code or name among the units valid on `onDate` (the period's last day),
   * preferring units the source may report for.
   */
  resolveUnit(text: string, onDate: string, source: Source): UnitResolution {
    const trimmed = text.trim();
    let candidates: UnitVersion[] = [];
    if (/^\d+$/.test(trimmed)) {
      // Excel drops leading zeros: 5440 means 05440 when only that exists.
      for (const code of [trimmed, trimmed.padStart(5, '0')]) {
        candidates = validOn(this.unitsByCode.get(code) ?? [], onDate);
        if (candidates.length > 0) break;
      }
    } else {
      const byName = new Map<number, UnitVersion>();
      for (const key of [fold(trimmed), bareUnitName(trimmed)]) {
        for (const unit of validOn(this.unitsByName.get(key) ?? [], onDate)) byName.set(unit.unitKey, unit);
      }
      candidates = [...byName.values()];
    }
    if (candidates.length === 0) return { ok: false, code: 'UNKNOWN_UNIT', candidates };
    const allowed = candidates.filter((unit) => this.allows(source, unit));
    if (allowed.length === 1) return { ok: true, unit: allowed[0]! };
    if (allowed.length > 1) return { ok: false, code: 'AMBIGUOUS_UNIT', candidates: allowed };
    return candidates.length === 1
      ? { ok: false, code: 'UNIT_NOT_ALLOWED', candidates }
      : { ok: false, code: 'AMBIGUOUS_UNIT', candidates };
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function validOn(units: UnitVersion[], date: string): UnitVersion[] {
  return units.filter((u) => u.validFrom <= date && (u.validTo === null || u.validTo >= date));
}
