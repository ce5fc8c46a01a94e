/**
 * Text keys for matching what officers type against what the catalogue expects.
 * Vietnamese input arrives in every shape: NFC or NFD (Windows-1258 files decode
 * to combining tone marks), upper or lower case, with or without diacritics,
 * with doubled spaces or underscores from spreadsheet exports.
 */

/** Canonical composition: the form we store and compare. */
export function nfc(s: string): string {
  return s.normalize('NFC');
}

/**
 * Case-, accent- and spacing-insensitive key.
 * fold("  Mã  chỉ tiêu ") === "ma chi tieu"; fold("Phường/Xã") === "phuong/xa".
 * Punctuation (/ . ( ) % ...) is kept because it carries meaning ("6/2022", "tr.đ").
 */
export function fold(s: string): string {
  return nfc(s)
    .toLowerCase()
    // đ is a letter of its own, not d + a mark, so NFD would not strip it.
    .replace(/đ/g, 'd')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[\s_]+/g, ' ')
    .trim();
}

/**
 * A header's trailing parenthetical, split off: "Giá trị (tỷ đồng)" gives "Giá trị" and "tỷ đồng";
 * null without one. Headers carry a unit or a remark there, and match without it too.
 */
export function trailingParenthetical(header: string): { bare: string; inner: string } | null {
  const match = /\s*\(([^()]*)\)\s*$/.exec(header);
  return match ? { bare: header.slice(0, match.index), inner: match[1]!.trim() } : null;
}
