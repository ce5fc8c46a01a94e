// Builds drop roots for tests from the sample submissions in tests/fixtures.
import { cp, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SAMPLES = fileURLToPath(new URL('../fixtures/samples/inbox/', import.meta.url));

/** Copies sample source folders (e.g. '164-NV') into <root>/inbox. */
export async function dropSamples(root: string, sources: string[]): Promise<void> {
  for (const source of sources) {
    await cp(path.join(SAMPLES, source), path.join(root, 'inbox', source), { recursive: true });
  }
}

export async function dropFile(root: string, sourceId: string, name: string, content: string | Buffer): Promise<string> {
  const dir = path.join(root, 'inbox', sourceId);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, name);
  await writeFile(file, content);
  return file;
}
