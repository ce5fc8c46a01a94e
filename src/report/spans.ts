// Years and periods written the way an officer reads them, in messages and reports.

/** One or more ascending years as an officer reads them: "2024", "2021–2024" (gaps are not shown). */
export function yearSpan(years: readonly number[]): string {
  return years.length === 1 ? `${years[0]}` : `${years[0]}–${years.at(-1)}`;
}

/** Ascending period codes, listed while few: "202701, 202702"; "202601 … 202712 (24 periods)". */
export function periodList(periods: readonly string[]): string {
  return periods.length <= 6 ? periods.join(', ') : `${periods[0]} … ${periods.at(-1)} (${periods.length} periods)`;
}

/** Ascending ids, listed while few: "12, 15"; "12, 15, 17, 20, 31, 40 … (9 in all)". */
export function idList(ids: readonly string[]): string {
  return ids.length <= 6 ? ids.join(', ') : `${ids.slice(0, 6).join(', ')} … (${ids.length} in all)`;
}
