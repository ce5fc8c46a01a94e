// The status pages: query parameters in, HTML out. Unknown periods or indicators are a 404, never
// an error from the database.
import { Router, type RequestHandler, type Response } from 'express';
import type { Session } from '../cli/session.js';
import { html, page, type Lang } from './html.js';
import { parseLang } from './i18n.js';
import * as q from './queries.js';
import { readReport, renderRejectionPage, reportPathInRoot } from './rejection-page.js';
import { renderStatusPage } from './status-page.js';

const DEFAULT_INDICATOR = 'BUDGET_REVENUE';
const CODE = /^[A-Za-z0-9_-]{1,40}$/;

// Our pages run no script and load nothing: a strict policy is a second wall behind escaping.
const csp: RequestHandler = (_req, res, next) => {
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'");
  next();
};

const param = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export function statusRoutes(session: Session): Router {
  const db = session.database.db;
  const router = Router();
  router.use(csp);

  const notFound = (res: Response, lang: Lang, what: string) =>
    res.status(404).type('html').send(page({ lang, title: '404', body: html`<p><a href="/?lang=${lang}">←</a></p><p>404: ${what}</p>` }));

  router.get('/', async (req, res) => {
    const lang = parseLang(req.query.lang);
    const [periods, indicators] = await Promise.all([q.periodOptions(db), q.indicators(db)]);
    // Default: the latest period with expected reports.
    const period = param(req.query.period) ?? periods.find((p) => p.expected)?.code;
    const indicator = param(req.query.indicator) ?? DEFAULT_INDICATOR;
    if (period !== undefined && (!CODE.test(period) || !(await q.findPeriod(db, period)))) return notFound(res, lang, `period ${period}`);
    if (!indicators.some((i) => i.code === indicator)) return notFound(res, lang, `indicator ${indicator}`);
    const [grid, submissions, chart] = await Promise.all([
      period ? q.completeness(db, period) : { cells: [], forms: [] },
      q.latestSubmissions(db),
      period ? q.chartRows(db, period, indicator) : [],
    ]);
    res.type('html').send(renderStatusPage({ lang, timeZone: session.config.timezone, period, indicator, periods, indicators, grid, submissions, chart }));
  });

  router.get('/rejections/:id', async (req, res) => {
    const lang = parseLang(req.query.lang);
    const id = req.params.id;
    // Ids are bigint serials; anything else (../, names, huge numbers) is simply not a submission.
    if (!/^[1-9][0-9]{0,17}$/.test(id)) return notFound(res, lang, 'submission');
    const submission = await q.submissionById(db, id);
    if (!submission) return notFound(res, lang, `submission ${id}`);
    const file = await reportPathInRoot(session.config.root, submission.stored_path);
    res.type('html').send(renderRejectionPage({ lang, submission, report: file ? await readReport(file) : undefined }));
  });

  return router;
}
