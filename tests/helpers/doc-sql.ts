// The queries of docs/warehouse.md's "Queries to start from", as printed there: analysts copy
// them, so the tests run them as they stand.
import { readFile } from 'node:fs/promises';
import { packagePath } from '../../src/package-root.js';

export async function warehouseDocQueries(): Promise<string[]> {
  const doc = await readFile(packagePath('docs', 'warehouse.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Queries to start from'));
  const block = /```sql\n([\s\S]*?)```/.exec(section)![1]!;
  return block
    .split(/;\s*\n/)
    .map((s) => s.trim())
    .filter((s) => s.replace(/--.*$/gm, '').trim() !== '');
}
