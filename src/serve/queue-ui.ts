// /queues: the bull-board UI over the pipeline's queues, or a short note when there is no Redis.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router, type RequestHandler } from 'express';
import type { Queues } from '../../jobs/queues.js';
import { html, page } from './html.js';
import { parseLang, t } from './i18n.js';

export const QUEUES_PATH = '/queues';

// bull-board's page links a Google font; the machine may be offline, so only same-origin loads.
const csp: RequestHandler = (_req, res, next) => {
  res.setHeader('Content-Security-Policy', "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:");
  next();
};

export function queueUi(queues: Queues | undefined): Router {
  const router = Router();
  if (!queues) {
    router.get('/', (req, res) => {
      const lang = parseLang(req.query.lang);
      res.type('html').send(page({ lang, title: 'queues', body: html`<p><a href="/?lang=${lang}">${t(lang, 'back')}</a></p><p>${t(lang, 'queuesOff')}</p>` }));
    });
    return router;
  }
  const serverAdapter = new ExpressAdapter().setBasePath(QUEUES_PATH);
  createBullBoard({ queues: Object.values(queues).map((q) => new BullMQAdapter(q)), serverAdapter, options: { uiConfig: { boardTitle: 'dstats' } } });
  router.use(csp, serverAdapter.getRouter());
  return router;
}
