// `dstats watch`: a pass soon after a file arrives (filesystem events, debounced), plus a periodic
// rescan because events get lost on network shares. The scan's settle rule still applies.
import { mkdir } from 'node:fs/promises';
import { watch } from 'chokidar';
import type { Session } from '../src/cli/session.js';
import { areaDir } from '../src/pipeline/drop-root.js';
import { triggerFor } from '../src/schedule/trigger.js';
import { queueConnectionOf } from './connection.js';
import { closeQueueClients } from './close-clients.js';
import { createQueues } from './queues.js';

const DEBOUNCE_MS = 500;

export async function runWatchProcess(session: Session, options: { rescanSeconds: number; events: boolean }): Promise<void> {
  const { ctx, config } = session;
  const connection = queueConnectionOf(config);
  const queues = connection ? createQueues(connection, config.queuePrefix, ctx.log) : null;
  const trigger = triggerFor(ctx, queues);
  const fire = (reason: string) =>
    void trigger.pass(reason).catch((error: unknown) => ctx.log.error({ err: error, reason }, 'pass failed'));

  let debounce: NodeJS.Timeout | undefined;
  const onEvent = () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => fire('file event'), DEBOUNCE_MS);
  };
  // Watching a folder that does not exist yet would never see an event: create it first.
  await mkdir(areaDir(config.root, 'inbox'), { recursive: true });
  // A new source folder is an event too: chokidar misses a file written into a folder it has just
  // seen appear, between its scan of the folder and its watch on it (paulmillr/chokidar#1471),
  // and the pass this starts finds the file (the scan waits for a file still being written).
  const watcher = options.events
    ? watch(areaDir(config.root, 'inbox'), { ignoreInitial: true, depth: 1 }).on('add', onEvent).on('change', onEvent).on('addDir', onEvent)
    : null;
  // Until its first walk of the inbox is done, chokidar counts what it finds as initial and sends
  // no event for it: a file dropped in that moment would wait for the rescan. The start pass
  // below, made once the watcher is ready, takes anything that arrived before.
  if (watcher) await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  const rescan = setInterval(() => fire('periodic rescan'), options.rescanSeconds * 1000);
  fire('start'); // whatever arrived while nothing was watching
  process.stdout.write(
    `dstats watch ${process.pid}: ${options.events ? 'file events and ' : ''}a rescan every ${options.rescanSeconds} s of ${areaDir(config.root, 'inbox')}, ${queues ? 'through the queues' : 'in this process'}\n`,
  );

  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  clearInterval(rescan);
  clearTimeout(debounce);
  await watcher?.close();
  if (connection && queues) await closeQueueClients({ connection, queues, log: ctx.log });
  await session.close();
}
