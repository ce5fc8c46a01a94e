/** One or more ascending years as an officer reads them: "2024", "2021–2024" (gaps are not shown). */
export function yearSpan(years: readonly number[]): string {
  return years.length === 1 ? `${years[0]}` : `${years[0]}–${years.at(-1)}`;
}
