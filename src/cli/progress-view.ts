// Shows a run's progress: a redrawn bar on a terminal, plain lines (at most every 2 s) otherwise.
import type { ProgressListener, RunProgress } from '../pipeline/progress.js';

export function progressView(stream: NodeJS.WriteStream = process.stdout): { listener: ProgressListener; finish(): void } {
  const tty = Boolean(stream.isTTY);
  let lastLine = 0;
  let drawn = false;
  const text = (p: RunProgress) => `${p.done}/${p.total} files · ${p.rows.toLocaleString('vi-VN')} rows · ${p.rejected} rejected`;
  return {
    listener(p) {
      if (tty) {
        const width = 24;
        const filled = p.total ? Math.round((p.done / p.total) * width) : width;
        stream.write(`\r[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${text(p)}\x1b[K`);
        drawn = true;
      } else if (Date.now() - lastLine >= 2000 || p.done === p.total) {
        if (p.total === 0 && drawn) return;
        stream.write(`progress: ${text(p)}\n`);
        lastLine = Date.now();
        drawn = true;
      }
    },
    finish() {
      if (tty && drawn) stream.write('\n');
    },
  };
}
