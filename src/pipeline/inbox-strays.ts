// What lies in inbox/ that the scan never takes: a file dropped into inbox/ itself instead of a
// source's folder, a folder inside a source's folder, a link, a name that is not UTF-8 (as an
// archive unzipped on Windows leaves). Nothing of it is lost or moved, but a source would wait
// for ever for a report: `status` and `run` name these so that someone moves them.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { areaDir } from './drop-root.js';
import { isTemporaryName } from './scan.js';

export type StrayReason = 'not in a source folder' | 'a folder inside a source folder' | 'a link' | 'a name that is not UTF-8';

export interface InboxStray {
  /** relative to inbox/, as shown; bytes that are not UTF-8 appear as U+FFFD */
  path: string;
  reason: StrayReason;
}

export async function inboxStrays(root: string): Promise<InboxStray[]> {
  const inbox = areaDir(root, 'inbox');
  const strays: InboxStray[] = [];
  const entries = await readdir(inbox, { withFileTypes: true, encoding: 'buffer' }).catch(() => []);
  for (const entry of entries) {
    const name = entry.name.toString('utf8');
    if (isTemporaryName(name)) continue;
    if (!isUtf8(entry.name)) strays.push({ path: name, reason: 'a name that is not UTF-8' });
    else if (entry.isSymbolicLink()) strays.push({ path: name, reason: 'a link' });
    else if (!entry.isDirectory()) strays.push({ path: name, reason: 'not in a source folder' });
    else strays.push(...(await strayInSource(inbox, entry.name)));
  }
  return strays.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function strayInSource(inbox: string, source: Buffer): Promise<InboxStray[]> {
  const dir = Buffer.concat([Buffer.from(inbox + path.sep), source]);
  const entries = await readdir(dir, { withFileTypes: true, encoding: 'buffer' }).catch(() => []);
  const strays: InboxStray[] = [];
  for (const entry of entries) {
    const name = entry.name.toString('utf8');
    if (isTemporaryName(name)) continue;
    const shown = `${source.toString('utf8')}/${name}`;
    if (!isUtf8(entry.name)) strays.push({ path: shown, reason: 'a name that is not UTF-8' });
    else if (entry.isDirectory()) strays.push({ path: `${shown}/`, reason: 'a folder inside a source folder' });
    else if (entry.isSymbolicLink()) strays.push({ path: shown, reason: 'a link' });
  }
  return strays;
}

const isUtf8 = (name: Buffer) => Buffer.from(name.toString('utf8'), 'utf8').equals(name);

/** Lines for `status` and `run`: a count with what to do, in both languages, then up to `limit` entries. */
export function formatStrays(strays: InboxStray[], limit = 10): string[] {
  if (strays.length === 0) return [];
  const lines = [
    `not taken from inbox/: ${strays.length} (move each file into inbox/<source>/, under a UTF-8 name)`,
    `không lấy được từ inbox/: ${strays.length} (chuyển từng tệp vào inbox/<mã nguồn>/, đặt tên tệp không dấu hoặc UTF-8)`,
  ];
  for (const s of strays.slice(0, limit)) lines.push(`  ${s.path}: ${s.reason}`);
  if (strays.length > limit) lines.push(`  … and ${strays.length - limit} more`);
  return lines;
}
