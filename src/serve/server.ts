// `dstats serve`: the status page, /metrics, /healthz and the queue UI on one HTTP port.
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import express, { type ErrorRequestHandler } from 'express';
import type { Session } from '../cli/session.js';
import { DstatsError } from '../errors.js';
import { queueConnectionOf } from '../../jobs/connection.js';
import { closeQueues, createQueues, type Queues } from '../../jobs/queues.js';
import { checkHealth } from './health.js';
import { createMetrics } from './metrics.js';
import { QUEUES_PATH, queueUi } from './queue-ui.js';
import { statusRoutes } from './routes.js';

export interface ServerOptions {
  session: Session;
  port: number;
  /** Default 127.0.0.1: the pages and the queue UI have no login, so they stay local unless asked. */
  host?: string;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Starts serving; the caller keeps owning the session (close the server first, then the session). */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { session } = options;
  const connection = queueConnectionOf(session.config);
  const queues: Queues | undefined = connection ? createQueues(connection, session.config.queuePrefix) : undefined;
  // The connection retries by itself and /healthz reports the outage; without a listener BullMQ
  // would print every failed attempt to stderr.
  for (const queue of Object.values(queues ?? {})) queue.on('error', (error: Error) => session.log.debug({ err: error.message, queue: queue.name }, 'serve: redis error'));
  const metrics = createMetrics({ database: session.database, queues, log: session.log });

  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  app.get('/healthz', async (_req, res) => {
    const health = await checkHealth(session.database, connection);
    res.status(health.ok ? 200 : 503).json(health.body);
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.render());
  });
  app.use(QUEUES_PATH, queueUi(queues));
  app.use(statusRoutes(session));
  app.use((_req, res) => void res.status(404).type('text').send('not found'));
  // Log the fault, answer without details (they may hold paths or SQL).
  const onError: ErrorRequestHandler = (error: Error, req, res, _next) => {
    session.log.error({ err: error, path: req.path }, 'serve: request failed');
    if (!res.headersSent) res.status(500).type('text').send('internal error');
  };
  app.use(onError);

  const server = app.listen(options.port, options.host ?? '127.0.0.1');
  try {
    await once(server, 'listening');
  } catch (error) {
    if (queues) await closeQueues(queues);
    connection?.disconnect();
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw new DstatsError('PORT_IN_USE', { port: options.port, host: options.host ?? '127.0.0.1', detail: message });
    }
    throw error;
  }
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  session.log.info({ port, address }, 'serve: listening');

  return {
    url: `http://${host}:${port}`,
    async close() {
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      server.closeAllConnections(); // keep-alive sockets would hold close() open
      await closed;
      if (queues) await closeQueues(queues);
      connection?.disconnect();
    },
  };
}
