// The files the scan cannot take (src/pipeline/scan.ts), as `status` and `run` print them.
import type { InboxStray } from '../pipeline/scan.js';
import { terminalSafe } from './terminal-text.js';

/** A count with what to do, in both languages, then up to `limit` entries; nothing when there are none. */
export function formatStrays(strays: InboxStray[], limit = 10): string[] {
  if (strays.length === 0) return [];
  const lines = [
    `not taken from inbox/: ${strays.length} (move each file into inbox/<source>/, under a UTF-8 name)`,
    `không lấy được từ inbox/: ${strays.length} (chuyển từng tệp vào inbox/<mã nguồn>/, đặt tên tệp không dấu hoặc UTF-8)`,
  ];
  for (const s of strays.slice(0, limit)) lines.push(terminalSafe(`  ${s.path}: ${s.reason}`));
  if (strays.length > limit) lines.push(`  … and ${strays.length - limit} more`);
  return lines;
}
