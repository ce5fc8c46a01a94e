// Cells a spreadsheet would run as a formula (=, +, -, @, tab, CR at the start) get a leading
// apostrophe, so opening an error report or receipt in Excel never executes submitted text.
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d[\d.,]*$/;

export function excelSafe(cell: string | number | null | undefined): string {
  if (cell === null || cell === undefined) return '';
  const text = String(cell);
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}
