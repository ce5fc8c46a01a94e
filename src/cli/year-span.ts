/** Ascending years as an officer reads them: "2024", "2021–2024" (gaps are not shown). */
export function yearSpan(years: readonly number[]): string {
  if (years.length === 0) return 'none';
  return years.length === 1 ? `${years[0]}` : `${years[0]}–${years.at(-1)}`;
}
