// The demo's city (TP Thái Nguyên) and its 32 wards and communes of 2024, before the 2025
// reorganisation, read from the shipped catalogue (schemas/) the way the demo reads them, for
// tests that write a row per ward.
import { readCatalog } from '../../src/catalog/files.js';
import { DEMO_CITY, demoUnits } from '../../src/demo/units.js';

export const CITY = DEMO_CITY;
export const WARDS_OF_CITY = demoUnits(await readCatalog(), '2024-01-01', '2024-12-31').wards.map((ward) => ward.code);
