// Upserts a validated catalogue into core.*, in one transaction, and removes what the files no
// longer have (retire.ts). Values held under a unit version that does not cover their period go
// to the version valid then (move-values.ts). A change of the rules the computed values depend
// on marks them for a rebuild (src/rollup/rebuild.ts): those of the indicators whose rules
// changed, and all of them in the years whose hierarchy or crosswalk changed. Values the changes
// put outside their source's scope are named (scope-check.ts).
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/connect.js';
import type { DB } from '../db/schema.js';
import { lockCatalogForSync } from '../db/catalog-lock.js';
import { runSql } from '../db/sql-file.js';
import { markForRebuild } from '../rollup/rebuild.js';
import { SELF_REPORTING_TYPES, type Catalog } from './model.js';
import { moveValuesToTheirVersion, type MovedValues, type StrayValues } from './move-values.js';
import { removeRetiredVersions, removeRowsNotInFiles, retiredVersions, type Removed } from './retire.js';
import { indicatorsToRebuild, type IndicatorRules } from './rules-change.js';
import { sourceScopes, valuesOutsideScope, type ValuesOutsideScope } from './scope-check.js';

export interface SyncSummary {
  units: number;
  indicators: number;
  sources: number;
  targets: number;
  crosswalk: number;
  forms: number;
  /** What the next rollup rebuilds because the rules changed (rebuild.ts). */
  rebuild: RebuildMarked;
  /** Values moved to the unit version valid in their period, and those left without one. */
  moved: MovedValues;
  strays: StrayValues[];
  /** Values in force whose source may no longer report for their unit after this sync (scope-check.ts). */
  outsideScope: ValuesOutsideScope[];
  /** What the files no longer have, removed (retire.ts). */
  removed: Removed;
}

export interface RebuildMarked {
  /** Indicators whose own rules changed, with those they weight, and the years with their values. */
  indicators: string[];
  indicatorYears: number[];
  /** Years with values whose hierarchy or crosswalk changed, or that had values moved: every indicator's figures there. */
  structureYears: number[];
}

function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// What the computed values depend on: each year's structure, which every indicator follows
// (catalog_structure.sql), and each indicator's rules.
type RulesSnapshot = { structure: Map<number, string>; rules: IndicatorRules[] };

async function rulesSnapshot(trx: Transaction<DB>): Promise<RulesSnapshot> {
  const digests = await runSql<{ year: number; digest: string }>(trx, 'catalog_structure');
  return {
    structure: new Map(digests.rows.map((r) => [r.year, r.digest])),
    rules: (await runSql<IndicatorRules>(trx, 'catalog_indicator_rules')).rows,
  };
}

/** Years whose structure digest differs, or that one snapshot has and the other has not. */
function structureChangedYears(before: Map<number, string>, after: Map<number, string>): number[] {
  const years = new Set([...before.keys(), ...after.keys()]);
  return [...years].filter((year) => before.get(year) !== after.get(year)).sort((a, b) => a - b);
}

/** Marks what the changed rules and the moved values make stale; returns what was marked. */
async function markChangedRules(trx: Transaction<DB>, before: RulesSnapshot, movedYears: readonly number[]): Promise<RebuildMarked> {
  const after = await rulesSnapshot(trx);
  const changedYears = [...new Set([...structureChangedYears(before.structure, after.structure), ...movedYears])].sort((a, b) => a - b);
  const structureYears = changedYears.length > 0 ? await markForRebuild(trx, null, changedYears) : [];
  const indicators = indicatorsToRebuild(before.rules, after.rules);
  const indicatorYears = indicators.length > 0 ? await markForRebuild(trx, indicators) : [];
  return { indicators, indicatorYears, structureYears };
}

const CATALOG_TABLES_ROLLUP_JOINS = ['core.indicator', 'core.unit', 'core.unit_ancestor', 'core.period', 'core.period_component', 'core.unit_crosswalk'] as const;

export async function syncCatalog(database: Database, catalog: Catalog): Promise<SyncSummary> {
  const selfSources = new Map<string, string>();
  for (const unit of catalog.units) {
    if (SELF_REPORTING_TYPES.has(unit.type)) selfSources.set(unit.code, unit.name);
  }

  const { rebuild, moved, strays, outsideScope, removed } = await database.db.transaction().execute(async (trx) => {
    // First: waits for the loads in flight and keeps new ones waiting until the sync commits; files
    // checked against the old catalogue are checked again by their load (migration 021).
    await lockCatalogForSync(trx);
    await trx.updateTable('core.catalog_version').set({ version: sql`version + 1`, synced_at: sql`now()` }).execute();
    const before = await rulesSnapshot(trx);
    const scopesBefore = await sourceScopes(trx);
    for (const batch of chunks(catalog.units)) {
      await trx
        .insertInto('core.unit')
        .values(batch.map((unit) => ({
          code: unit.code,
          name: unit.name,
          type: unit.type,
          level: unit.level,
          parent_code: unit.parentCode,
          parent_key: null,
          valid_from: unit.validFrom,
          valid_to: unit.validTo,
          aliases: unit.aliases,
        })))
        .onConflict((oc) =>
          oc.columns(['code', 'valid_from']).doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            type: eb.ref('excluded.type'),
            level: eb.ref('excluded.level'),
            parent_code: eb.ref('excluded.parent_code'),
            valid_to: eb.ref('excluded.valid_to'),
            aliases: eb.ref('excluded.aliases'),
          })),
        )
        .execute();
    }
    const retired = await retiredVersions(trx, catalog.units);
    const { moved, strays, held } = await moveValuesToTheirVersion(trx, retired);
    const unitVersions = await removeRetiredVersions(trx, retired, held);
    await runSql(trx, 'link_unit_parents');
    await trx.deleteFrom('core.unit_ancestor').execute();
    await runSql(trx, 'rebuild_unit_ancestors');

    for (const batch of chunks(catalog.crosswalk)) {
      await trx
        .insertInto('core.unit_crosswalk')
        .values(batch.map((row) => ({ old_code: row.oldCode, new_code: row.newCode, kind: row.kind, effective_date: row.effectiveDate, weight: row.weight })))
        .onConflict((oc) =>
          oc.columns(['old_code', 'new_code', 'effective_date']).doUpdateSet((eb) => ({
            kind: eb.ref('excluded.kind'),
            weight: eb.ref('excluded.weight'),
          })),
        )
        .execute();
    }

    for (const batch of chunks(catalog.indicators)) {
      await trx
        .insertInto('core.indicator')
        .values(batch.map((ind) => ({
          code: ind.code,
          domain: ind.domain,
          name_vi: ind.nameVi,
          name_en: ind.nameEn,
          uom: ind.uom,
          aggregation: ind.aggregation,
          weight_indicator: ind.weightIndicator,
          period_aggregation: ind.periodAggregation,
          min_value: ind.min,
          max_value: ind.max,
          better: ind.better,
          aliases: ind.aliases,
        })))
        .onConflict((oc) =>
          oc.column('code').doUpdateSet((eb) => ({
            domain: eb.ref('excluded.domain'),
            name_vi: eb.ref('excluded.name_vi'),
            name_en: eb.ref('excluded.name_en'),
            uom: eb.ref('excluded.uom'),
            aggregation: eb.ref('excluded.aggregation'),
            weight_indicator: eb.ref('excluded.weight_indicator'),
            period_aggregation: eb.ref('excluded.period_aggregation'),
            min_value: eb.ref('excluded.min_value'),
            max_value: eb.ref('excluded.max_value'),
            better: eb.ref('excluded.better'),
            aliases: eb.ref('excluded.aliases'),
          })),
        )
        .execute();
    }

    const sources = [
      ...[...selfSources].map(([code, name]) => ({
        source_id: code,
        name,
        kind: 'unit' as const,
        scope: 'self' as const,
        scope_unit_code: code,
        locale: null,
        accept_valid_rows: false,
      })),
      ...catalog.sources.map((s) => ({
        source_id: s.sourceId,
        name: s.name,
        kind: s.kind,
        scope: s.scope,
        scope_unit_code: s.scopeUnitCode,
        locale: s.locale,
        accept_valid_rows: s.acceptValidRows,
      })),
    ];
    for (const batch of chunks(sources)) {
      await trx
        .insertInto('core.source')
        .values(batch)
        .onConflict((oc) =>
          oc.column('source_id').doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            kind: eb.ref('excluded.kind'),
            scope: eb.ref('excluded.scope'),
            scope_unit_code: eb.ref('excluded.scope_unit_code'),
            locale: eb.ref('excluded.locale'),
            accept_valid_rows: eb.ref('excluded.accept_valid_rows'),
          })),
        )
        .execute();
    }

    for (const form of catalog.forms) {
      const definition = JSON.stringify({ unit_headers: form.unitHeaders, columns: form.columns });
      await trx
        .insertInto('core.form')
        .values({ form_id: form.formId, name_vi: form.nameVi, name_en: form.nameEn, deadline_days: form.deadlineDays, definition })
        .onConflict((oc) =>
          oc.column('form_id').doUpdateSet((eb) => ({
            name_vi: eb.ref('excluded.name_vi'),
            name_en: eb.ref('excluded.name_en'),
            deadline_days: eb.ref('excluded.deadline_days'),
            definition: eb.ref('excluded.definition'),
          })),
        )
        .execute();
    }

    // Expectations have no identity of their own: the file is the whole truth.
    await trx.deleteFrom('core.expectation').execute();
    for (const batch of chunks(catalog.expectations)) {
      await trx
        .insertInto('core.expectation')
        .values(
          batch.map((e) => ({
            source_spec: e.sourceSpec,
            form_id: e.formId,
            frequency: e.frequency,
            from_period: e.fromPeriod,
            to_period: e.toPeriod,
            deadline_days: e.deadlineDays,
          })),
        )
        .execute();
    }

    for (const batch of chunks(catalog.targets)) {
      await trx
        .insertInto('core.target')
        .values(batch.map((t) => ({
          unit_code: t.unitCode,
          indicator_code: t.indicatorCode,
          metric: t.metric,
          comparator: t.comparator,
          threshold: t.threshold,
          from_period: t.fromPeriod,
          deadline_period: t.deadlinePeriod,
          reference: t.reference,
        })))
        .onConflict((oc) =>
          oc.columns(['unit_code', 'indicator_code', 'metric', 'deadline_period']).doUpdateSet((eb) => ({
            comparator: eb.ref('excluded.comparator'),
            threshold: eb.ref('excluded.threshold'),
            from_period: eb.ref('excluded.from_period'),
            reference: eb.ref('excluded.reference'),
          })),
        )
        .execute();
    }

    const removed: Removed = { unitVersions, ...(await removeRowsNotInFiles(trx, catalog)) };

    // The rollup plans its joins on these tables. Autovacuum leaves tables this small unanalysed
    // (it waits for 50 changed rows plus a tenth), and without statistics every filter on them is
    // guessed (`aggregation = 'sum'` at 1 row of 190): a bulk rollup then gets nested loops planned
    // for a few hundred rows instead of hash joins (twice as slow for a 200,000-cell load).
    for (const table of CATALOG_TABLES_ROLLUP_JOINS) await sql`ANALYZE ${sql.table(table)}`.execute(trx);

    const rebuild = await markChangedRules(trx, before, moved.years);
    // The years marked whole are those whose hierarchy changed or whose values moved.
    const outsideScope = await valuesOutsideScope(trx, scopesBefore, rebuild.structureYears);
    return { rebuild, moved, strays, outsideScope, removed };
  });

  return {
    units: catalog.units.length,
    indicators: catalog.indicators.length,
    sources: selfSources.size + catalog.sources.length,
    targets: catalog.targets.length,
    crosswalk: catalog.crosswalk.length,
    forms: catalog.forms.length,
    rebuild,
    moved,
    strays,
    outsideScope,
    removed,
  };
}
