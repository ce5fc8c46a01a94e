import { appendFile, symlink, utimes, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanInbox } from '../../src/pipeline/scan.js';
import { tempDir } from '../helpers/services.js';

describe('scan', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  const inbox = (...p: string[]) => path.join(root.dir, 'inbox', ...p);
  const old = async (file: string) => utimes(file, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));

  beforeEach(async () => {
    root = await tempDir('scan');
    await mkdir(inbox('05440'), { recursive: true });
  });
  afterEach(async () => root.remove());

  it('ignores temporary files, dot-files, markers and symlinks', async () => {
    for (const name of ['a.csv', '~$a.csv', 'b.tmp', 'c.part', '.hidden.csv', 'a.csv.done']) {
      await writeFile(inbox('05440', name), 'x');
      await old(inbox('05440', name));
    }
    await writeFile(path.join(root.dir, 'outside.csv'), 'secret');
    await symlink(path.join(root.dir, 'outside.csv'), inbox('05440', 'link.csv'));
    const { ready: files } = await scanInbox(root.dir, { settleMs: 1000 });
    expect(files.map((f) => f.fileName)).toEqual(['a.csv']);
  });

  it('takes a file with a .done marker at once, and a fresh unchanged file after the settle time', async () => {
    await writeFile(inbox('05440', 'marked.csv'), 'x');
    await writeFile(inbox('05440', 'marked.csv.done'), '');
    await writeFile(inbox('05440', 'fresh.csv'), 'x');
    const started = Date.now();
    const { ready: files } = await scanInbox(root.dir, { settleMs: 400 });
    expect(files.map((f) => f.fileName).sort()).toEqual(['fresh.csv', 'marked.csv']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('leaves a file that is still being written for the next scan', async () => {
    const file = inbox('05440', 'growing.csv');
    await writeFile(file, 'a');
    const writing = (async () => {
      for (let i = 0; i < 8; i++) {
        await new Promise((r) => setTimeout(r, 60));
        await appendFile(file, 'more');
      }
    })();
    const { ready: files } = await scanInbox(root.dir, { settleMs: 300 });
    await writing;
    expect(files).toEqual([]);
  });
});
