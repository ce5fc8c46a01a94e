// The shipped catalogue (schemas/) copied to a temporary directory and edited: for tests of
// catalogue errors and of changes to its rules.
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll } from 'vitest';
import { DEFAULT_CATALOG_DIR } from '../../src/catalog/files.js';
import { tempDir } from './services.js';

/** One exact fragment of a catalogue file (path relative to the catalogue) and what replaces it. */
export interface CatalogEdit {
  file: string;
  from: string;
  to: string;
}

/** A copy of schemas/ with each edit applied; throws if a fragment is not in its file. Remove it after. */
export async function editedCatalog(label: string, edits: readonly CatalogEdit[]): Promise<{ dir: string; remove(): Promise<void> }> {
  const copy = await tempDir(label);
  await cp(DEFAULT_CATALOG_DIR, copy.dir, { recursive: true });
  for (const edit of edits) {
    const file = path.join(copy.dir, edit.file);
    const text = await readFile(file, 'utf8');
    if (!text.includes(edit.from)) throw new Error(`fixture edit failed: ${edit.from} not in ${edit.file}`);
    await writeFile(file, text.replace(edit.from, edit.to));
  }
  return copy;
}

/**
 * For one test file: `edited(edits)` makes a copy of schemas/ with the edits and returns its
 * directory; the copies are removed after the file's tests.
 */
export function useEditedCatalogs(label: string): (edits: readonly CatalogEdit[]) => Promise<string> {
  const copies: { remove(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const copy of copies) await copy.remove();
  });
  return async (edits) => {
    const copy = await editedCatalog(label, edits);
    copies.push(copy);
    return copy.dir;
  };
}

/** An edit that deletes the whole line of a shipped catalogue file that starts with `start`. */
export async function deleteLine(file: string, start: string): Promise<CatalogEdit> {
  const line = (await readFile(path.join(DEFAULT_CATALOG_DIR, file), 'utf8')).split('\n').find((l) => l.startsWith(start));
  if (line === undefined) throw new Error(`no line ${start}… in ${file}`);
  return { file, from: `${line}\n`, to: '' };
}
