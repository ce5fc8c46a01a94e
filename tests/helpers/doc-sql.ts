// SQL printed in the docs, read as it stands: operators and analysts copy it, so the tests run it.
import { readFile } from 'node:fs/promises';
import { packagePath } from '../../src/package-root.js';

/** The first ```sql block after `marker` in docs/<file>. */
export async function docSqlBlock(file: string, marker: string): Promise<string> {
  const doc = await readFile(packagePath('docs', file), 'utf8');
  const at = doc.indexOf(marker);
  if (at < 0) throw new Error(`docs/${file} no longer has "${marker}"`);
  return /```sql\n([\s\S]*?)```/.exec(doc.slice(at))![1]!;
}

/** The statements of docs/warehouse.md's "Queries to start from". */
export async function warehouseDocQueries(): Promise<string[]> {
  return (await docSqlBlock('warehouse.md', '## Queries to start from'))
    .split(/;\s*\n/)
    .map((s) => s.trim())
    .filter((s) => s.replace(/--.*$/gm, '').trim() !== '');
}
