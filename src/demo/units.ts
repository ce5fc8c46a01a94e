// The units the demo reports for: TP Thái Nguyên (164) and its wards and communes, read from the
// catalogue files (schemas/units) so the demo follows whatever the catalogue says.
import type { Catalog } from '../catalog/model.js';

export const DEMO_CITY = '164';

export interface DemoUnit {
  code: string;
  /** catalogue name: "Phường Quán Triều", "Xã Phúc Hà" */
  name: string;
  /** name without its prefix: "Quán Triều" */
  bareName: string;
  isCommune: boolean;
}

const PREFIXES = ['Phường ', 'Xã ', 'Thị trấn '];

/** Wards and communes of the city valid through the whole demo range (first to last day). */
export function demoUnits(catalog: Catalog, from: string, to: string): { city: DemoUnit; wards: DemoUnit[] } {
  const validThrough = (u: { validFrom: string; validTo: string | null }) => u.validFrom <= from && (u.validTo === null || u.validTo >= to);
  const cityRecord = catalog.units.find((u) => u.code === DEMO_CITY && validThrough(u));
  if (!cityRecord) throw new Error(`the catalogue has no unit ${DEMO_CITY} valid from ${from} to ${to}`);
  const wards = catalog.units
    .filter((u) => u.parentCode === DEMO_CITY && validThrough(u) && (u.type === 'ward' || u.type === 'commune' || u.type === 'township'))
    .map((u) => ({
      code: u.code,
      name: u.name,
      bareName: bare(u.name),
      isCommune: u.type === 'commune',
    }));
  if (wards.length === 0) throw new Error(`the catalogue has no wards or communes under ${DEMO_CITY}`);
  return { city: { code: cityRecord.code, name: cityRecord.name, bareName: bare(cityRecord.name), isCommune: false }, wards };
}

function bare(name: string): string {
  const prefix = PREFIXES.find((p) => name.startsWith(p));
  return prefix ? name.slice(prefix.length) : name;
}

/** How a department's table names a unit: wards by bare name, communes with "Xã" (as 164-VHTT does). */
export function tableName(unit: DemoUnit): string {
  return unit.isCommune ? `Xã ${unit.bareName}` : unit.bareName;
}

/** Abbreviated as in the finance office's sheets: "P. Quán Triều", "Xã Phúc Hà". */
export function shortName(unit: DemoUnit): string {
  return unit.isCommune ? `Xã ${unit.bareName}` : `P. ${unit.bareName}`;
}
