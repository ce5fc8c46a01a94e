// `dstats serve` on real Postgres and Redis after a full pipeline run through BullMQ: the status
// page (over HTTP and in headless Chromium), error reports, /metrics, /healthz and the queue UI.
import http from 'node:http';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runViaQueues } from '../../jobs/run-via-queues.js';
import type { Session } from '../../src/cli/session.js';
import type { Config } from '../../src/config.js';
import type { Database } from '../../src/db/connect.js';
import type { StageContext } from '../../src/pipeline/context.js';
import { reportPathInRoot } from '../../src/serve/rejection-page.js';
import { escapeHtml } from '../../src/serve/html.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { hasChromium, launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { dropFile, dropSamples } from '../helpers/drop-root.js';
import { preparedContext } from '../helpers/pipeline.js';
import { createTestDatabase, serverUrls, tempDir, testQueuePrefix, type TestDatabase } from '../helpers/services.js';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

/** GET with the path sent exactly as written (fetch would normalise ../ away). */
function rawGet(base: string, rawPath: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    http
      .get({ hostname, port, path: rawPath }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('dstats serve', () => {
  let tdb: TestDatabase;
  let root: Awaited<ReturnType<typeof tempDir>>;
  let ctx: StageContext;
  let database: Database;
  let server: RunningServer;
  let rejectedId: string;
  const { redisUrl } = serverUrls();
  const session = (config: Partial<Config> = {}): Session => ({
    config: { ...ctx.config, ...config },
    log: ctx.log,
    database,
    ctx,
    close: async () => undefined, // the test owns the database
  });
  const get = async (p: string) => {
    const res = await fetch(server.url + p);
    return { status: res.status, type: res.headers.get('content-type') ?? '', csp: res.headers.get('content-security-policy') ?? '', body: await res.text() };
  };

  beforeAll(async () => {
    tdb = await createTestDatabase();
    root = await tempDir('serve');
    ({ ctx, database } = await preparedContext({ databaseUrl: tdb.url, root: root.dir, config: { queuePrefix: testQueuePrefix(), redisUrl } }));
    await dropSamples(root.dir, ['164-NV', '164-TCKH', '05440', '05443', '164-VHTT']);
    await runViaQueues(ctx, { startLocalWorkers: true, pollMs: 50 });
    const rejected = await database.db.selectFrom('core.submission').select('submission_id').where('source_id', '=', '05443').executeTakeFirstOrThrow();
    rejectedId = rejected.submission_id;
    server = await startServer({ session: session(), port: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
    await tdb?.drop();
    await root?.remove();
  });

  describe('over HTTP', () => {
    it('listens on 127.0.0.1 by default', () => {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    });

    it('/healthz: 200 when Postgres and Redis answer', async () => {
      const res = await get('/healthz');
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ postgres: 'ok', redis: 'ok' });
    });

    it('/metrics: submissions by state, totals, queue depths and stage durations', async () => {
      const res = await get('/metrics');
      expect(res.status).toBe(200);
      expect(res.type).toContain('text/plain');
      expect(res.body).toContain('dstats_submissions_total{state="loaded"} 4');
      expect(res.body).toContain('dstats_submissions_total{state="rejected"} 1');
      expect(res.body).toContain('dstats_rejections_total 1');
      expect(res.body).toMatch(/^dstats_values_loaded_total [1-9]\d*$/m);
      expect(res.body).toMatch(/^dstats_rows_read_total [1-9]\d*$/m);
      expect(res.body).toMatch(/^dstats_queue_jobs\{queue="intake",state="waiting"\} 0$/m);
      expect(res.body).toMatch(/^dstats_stage_duration_seconds_count\{queue="intake"\} 5$/m);
      expect(res.body).toContain('process_cpu_user_seconds_total');
      // A job is observed once, however often it is scraped.
      expect((await get('/metrics')).body).toMatch(/^dstats_stage_duration_seconds_count\{queue="intake"\} 5$/m);
    });

    it('/: completeness grid, latest files and the chart, in Vietnamese by default', async () => {
      const res = await get('/?period=202206&indicator=QR_POINTS');
      expect(res.status).toBe(200);
      expect(res.body).toContain('<html lang="vi">');
      expect(res.body).toMatch(/data-source="164-VHTT" data-form="ward-digital-transformation" data-status="(on_time|late)">(Đúng hạn|Chậm)</);
      expect(res.body).toContain('data-unit="05431" data-value="1481"');
      expect(res.body).toContain('>1.481</text>');
      expect(res.body).toContain(`href="/rejections/${rejectedId}?lang=vi"`);
      // The first problem in the page's language (it was English on both).
      const { first_problem, first_problem_vi } = await database.db.selectFrom('mart.submissions').select(['first_problem', 'first_problem_vi'])
        .where('submission_id', '=', rejectedId).executeTakeFirstOrThrow();
      expect(first_problem_vi).toMatch(/^Thiếu|^Không|^Giá trị|^Kỳ|^Tệp|^Đơn vị|^Dòng|^Cột/);
      expect(res.body).toContain(escapeHtml(first_problem_vi!));
      expect((await get('/?period=202206&indicator=QR_POINTS&lang=en')).body).toContain(escapeHtml(first_problem!));
    });

    it('/?lang=en: English words and number format', async () => {
      const res = await get('/?period=202206&indicator=QR_POINTS&lang=en');
      expect(res.body).toContain('<html lang="en">');
      expect(res.body).toMatch(/data-status="(on_time|late)">(On time|Late)</);
      expect(res.body).toContain('>1,481</text>');
    });

    it('/ without a period shows the latest period with expected reports', async () => {
      const res = await get('/');
      expect(res.status).toBe(200);
      expect(res.body).toMatch(/<option value="\w+" selected>/);
      expect(res.body).toContain('data-status=');
    });

    it('/ with an unknown period or indicator: 404, no query error', async () => {
      expect((await get('/?period=2022S9')).status).toBe(404);
      expect((await get("/?period=2022S1'%3B--")).status).toBe(404);
      expect((await get('/?indicator=NOPE')).status).toBe(404);
    });

    it('/rejections/<id>: the whole error report, every cell escaped', async () => {
      const res = await get(`/rejections/${rejectedId}`);
      expect(res.status).toBe(200);
      for (const code of ['NOT_A_NUMBER', 'UNKNOWN_PERIOD', 'UNIT_NOT_ALLOWED', 'UNKNOWN_INDICATOR', 'OUT_OF_RANGE', 'UOM_MISMATCH', 'UNKNOWN_UNIT']) {
        expect(res.body).toContain(`<td>${code}</td>`);
      }
      // Neutralised for Excel in the report, and escaped again here: text, never markup.
      expect(res.body).toContain('<td>&#39;=HYPERLINK(&quot;http://x&quot;)</td>');
      expect(res.body).not.toContain('HYPERLINK("');
      // And a second wall: the page may run no script at all.
      expect(res.csp).toContain("default-src 'none'");
    });

    it('/rejections: path traversal and non-numeric ids are 404', async () => {
      for (const p of ['/rejections/../../etc/passwd', '/rejections/..%2F..%2Fetc%2Fpasswd', '/rejections/abc', '/rejections/1e3', '/rejections/0', '/rejections/99999999', '/rejections/99999999999999999999999']) {
        const res = await rawGet(server.url, p);
        expect(res.status, p).toBe(404);
        expect(res.body).not.toContain('root:');
      }
    });

    it('never reads a report outside the drop root, even through a symlink', async () => {
      const outside = await tempDir('outside');
      try {
        await writeFile(path.join(outside.dir, 'secret.csv.errors.csv'), 'row\nsecret\n');
        expect(await reportPathInRoot(root.dir, path.join(outside.dir, 'secret.csv'))).toBeUndefined();
        expect(await reportPathInRoot(root.dir, path.join(root.dir, '../', path.basename(outside.dir), 'secret.csv'))).toBeUndefined();
        await mkdir(path.join(root.dir, 'rejected/05431'), { recursive: true });
        await symlink(path.join(outside.dir, 'secret.csv.errors.csv'), path.join(root.dir, 'rejected/05431/link.csv.errors.csv'));
        expect(await reportPathInRoot(root.dir, path.join(root.dir, 'rejected/05431/link.csv'))).toBeUndefined();
        expect(await reportPathInRoot(root.dir, path.join(root.dir, 'rejected/05443/loi-dinh-dang.csv'))).toMatch(/rejected\/05443\/loi-dinh-dang\.csv\.errors\.csv$/);
      } finally {
        await outside.remove();
      }
    });

    it('/queues: the bull-board UI', async () => {
      const res = await get('/queues');
      expect(res.status).toBe(200);
      expect(res.body).toContain('<base href="/queues/"');
      expect(res.body).toContain('__UI_CONFIG__');
      const api = await get('/queues/api/queues');
      expect(api.status).toBe(200);
      const names = (JSON.parse(api.body) as { queues: { name: string }[] }).queues.map((q) => q.name).sort();
      expect(names).toEqual(['intake', 'load', 'normalise', 'publish', 'rollup', 'scan']);
    });

    it('without REDIS_URL: no queue series, /queues says so, health says not configured', async () => {
      const local = await startServer({ session: session({ redisUrl: undefined }), port: 0 });
      try {
        const health = await fetch(local.url + '/healthz');
        expect(health.status).toBe(200);
        expect(await health.json()).toEqual({ postgres: 'ok', redis: 'not configured' });
        const metrics = await (await fetch(local.url + '/metrics')).text();
        expect(metrics).toContain('dstats_submissions_total{state="loaded"} 4');
        expect(metrics).not.toMatch(/^dstats_queue_jobs\{/m);
        const queues = await fetch(local.url + '/queues');
        expect(await queues.text()).toContain('REDIS_URL');
      } finally {
        await local.close();
      }
    });

    it('with Redis unreachable: /healthz 503 naming Redis, /metrics still answers', async () => {
      const broken = await startServer({ session: session({ redisUrl: 'redis://127.0.0.1:1' }), port: 0 });
      try {
        const health = await fetch(broken.url + '/healthz');
        expect(health.status).toBe(503);
        const body = (await health.json()) as { postgres: string; redis: string };
        expect(body.postgres).toBe('ok');
        expect(body.redis).toMatch(/^error: /);
        const metrics = await fetch(broken.url + '/metrics');
        expect(metrics.status).toBe(200);
        expect(await metrics.text()).toContain('dstats_submissions_total{state="rejected"} 1');
      } finally {
        await broken.close();
      }
    });
  });

  describe('in headless Chromium', () => {
    let browser: TestBrowser | undefined;
    const open = async () => (browser ??= await launchBrowser()).context.newPage();
    afterAll(async () => {
      await browser?.close();
    });

    it.skipIf(!hasChromium)('shows the grid and the chart of one indicator across the 32 wards', async () => {
      const page = await open();
      await page.goto(`${server.url}/?period=202206&indicator=QR_POINTS`);
      const cell = page.locator('td[data-source="164-VHTT"][data-form="ward-digital-transformation"]');
      expect(await cell.getAttribute('data-status')).toMatch(/^(on_time|late)$/);
      const bars = page.locator('svg.chart rect.bar');
      expect(await bars.count()).toBe(32);
      expect(await page.locator('svg.chart rect.bar[data-unit="05431"]').getAttribute('data-value')).toBe('1481');
      expect(await page.locator('svg.chart g[data-unit="05431"]').textContent()).toContain('Phường Quán Triều');
      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'status-page.png'), fullPage: true });
      await page.close();
    });

    it.skipIf(!hasChromium)('follows a rejection link to the error table', async () => {
      const page = await open();
      await page.goto(`${server.url}/?period=2022S1`);
      await page.locator('a.rejection-link').first().click();
      await page.waitForURL(/\/rejections\/\d+/);
      expect(await page.locator('table.errors').textContent()).toContain('NOT_A_NUMBER');
      // The neutralised formula is plain text in the page, not a link.
      expect(await page.locator('table.errors a').count()).toBe(0);
      await page.close();
    });

    it.skipIf(!hasChromium)('the period and indicator selectors reload the page', async () => {
      const page = await open();
      await page.goto(`${server.url}/?period=2022S1&lang=en`);
      await page.selectOption('select[name=period]', '202206');
      await page.selectOption('select[name=indicator]', 'QR_POINTS');
      await page.click('form.filters button');
      await page.waitForURL(/period=202206/);
      expect(new URL(page.url()).searchParams.get('lang')).toBe('en');
      expect(await page.locator('svg.chart rect.bar').count()).toBe(32);
      await page.close();
    });

    it.skipIf(!hasChromium)('the queue UI renders the six queues offline', async () => {
      const page = await open();
      await page.goto(`${server.url}/queues`);
      for (const name of ['scan', 'intake', 'normalise', 'load', 'rollup', 'publish']) {
        await page.getByText(name, { exact: true }).first().waitFor();
      }
      await page.close();
    });
  });

  // Last, since it adds a submission: hostile text in a file name and in the file itself.
  it('escapes hostile file names and values on the status page and the report', async () => {
    await dropFile(root.dir, '05431', '<img src=x onerror=alert(1)>.csv', 'unit_code,indicator_code,period,value,uom\n"<script>alert(1)</script>",QR_POINTS,2022S1,1,count\n');
    await runViaQueues(ctx, { startLocalWorkers: true, pollMs: 50 });
    const hostile = await database.db.selectFrom('core.submission').select(['submission_id', 'state']).where('source_id', '=', '05431').executeTakeFirstOrThrow();
    expect(hostile.state).toBe('rejected');
    const status = await get('/?period=2022S1');
    expect(status.body).toContain('&lt;img src=x onerror=alert(1)&gt;.csv');
    expect(status.body).not.toContain('<img');
    const report = await get(`/rejections/${hostile.submission_id}`);
    expect(report.status).toBe(200);
    expect(report.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(report.body).not.toContain('<script');
  });
});
