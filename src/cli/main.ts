// The dstats command line. Exit codes: 0 ok, 1 a file was rejected, 2 usage or configuration error.
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { sql } from 'kysely';
import { catalogIssues, readCatalog } from '../catalog/files.js';
import { syncCatalog } from '../catalog/sync.js';
import { loadConfig, redisTargetOf } from '../config.js';
import { codedLines, DstatsError, type ErrorCode } from '../errors.js';
import { migrate } from '../db/migrate.js';
import { runInProcess } from '../pipeline/run-in-process.js';
import { scanInbox } from '../pipeline/scan.js';
import { formatStrays } from '../report/inbox-strays.js';
import { terminalSafe } from '../report/terminal-text.js';
import { formatSummary, summariseSince } from '../pipeline/summary.js';
import { areaDir, hasInbox } from '../pipeline/drop-root.js';
import { ensureReady, openSession, type Session } from './session.js';
import { parsePeriod } from '../normalise/periods.js';
import { renderReport, unitNotInPeriod, unitReport } from '../report/unit-report.js';
import { progressView } from './progress-view.js';
import { statusReport } from './status.js';
import { validateFile, validateReportPath, validateTarget } from './validate.js';
import { idList, periodList, yearSpan } from '../report/spans.js';
import { packagePath } from '../package-root.js';
import { withdrawAndRollUp } from '../withdraw/withdraw-submission.js';

const EXIT_REJECTED = 1;
const EXIT_USAGE = 2;
const EXIT_INTERNAL = 3; // a fault (database or Redis unreachable, a bug): see the log
const UNREACHABLE = new Set<ErrorCode>(['DATABASE_UNREACHABLE', 'REDIS_UNREACHABLE']);

async function withSession<T>(
  overrides: Parameters<typeof openSession>[0],
  fn: (s: Session) => Promise<T>,
  options: { mayCreateRoot?: boolean } = {},
): Promise<T> {
  const session = await openSession(overrides, { quiet: true, ...options });
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}

const say = (text: string) => process.stdout.write(text + '\n');

/** Commands that use the queues stop at once on a Redis they cannot reach (its clients would retry without end). */
async function checkRedis(s: Session): Promise<void> {
  const redis = redisTargetOf(s.config);
  if (!redis) return;
  const { assertRedisReachable } = await import('../../jobs/connection.js');
  await assertRedisReachable(redis).catch(async (error: unknown) => {
    await s.close();
    throw error;
  });
}

// Not process.exitCode: PGlite's WebAssembly runtime resets it when the database closes.
const result = { exitCode: 0 };

const EXAMPLE_INBOX = packagePath('examples', 'inbox');

/**
 * A drop root must exist before a pass opens the database: the embedded one lives in
 * <root>/.dstats, and opening it would create the missing root.
 */
async function checkRoot(overrides: { root?: string }): Promise<void> {
  const { root } = loadConfig(process.env, overrides);
  if (!(await hasInbox(root))) throw new DstatsError('ROOT_MISSING', { root });
}

/** One pass over a drop root: through the queues when REDIS_URL is set, else in this process. */
async function runOnce(overrides: { root?: string }, startLocalWorkers: boolean): Promise<void> {
  await checkRoot(overrides);
  await withSession(overrides, async (s) => {
    await ensureReady(s);
    // The database's clock, so the summary counts exactly this run's files.
    const started = (await sql<{ now: Date }>`SELECT now() AS now`.execute(s.database.db)).rows[0]!.now;
    const progress = progressView();
    if (s.config.redisUrl) {
      if (s.database.kind !== 'postgres') throw new DstatsError('QUEUE_NEEDS_POSTGRES');
      await checkRedis(s);
      say(`dstats run: queues on Redis, database ${s.database.description}`);
      const { runViaQueues } = await import('../../jobs/run-via-queues.js');
      await runViaQueues(s.ctx, { startLocalWorkers, onProgress: progress.listener });
      progress.finish();
    } else {
      say(`dstats run: no REDIS_URL, running the stages in this process; database ${s.database.description}`);
      const outcome = await runInProcess(s.ctx, { onProgress: progress.listener });
      progress.finish();
      for (const f of outcome.failures) say(`  failed ${f.what}: ${f.error}`);
    }
    const summary = await summariseSince(s.database, started);
    say(formatSummary(summary));
    // What this run's scan could not take, still there (the scan itself may have run in a worker).
    for (const line of formatStrays((await scanInbox(s.config.root, { settleMs: 0 })).strays)) say(line);
    if (summary.rejected > 0) result.exitCode = EXIT_REJECTED;
  });
}

export function buildProgram(): Command {
  const program = new Command('dstats')
    .description('District statistics pipeline: CSV submissions → BullMQ stages → Postgres warehouse')
    .option('--root <dir>', 'drop root (default $DSTATS_ROOT or ./dstats-root)')
    .exitOverride()
    .showHelpAfterError();
  const rootOption = () => ({ root: program.opts<{ root?: string }>().root });

  program
    .command('migrate')
    .description('apply the SQL migrations in sql/migrations (safe to run twice, and concurrently)')
    .action(() =>
      withSession(rootOption(), async (s) => {
        const result = await migrate(s.database);
        say(`${s.database.description}: applied ${result.applied.length} migration(s)${result.applied.length ? `: ${result.applied.join(', ')}` : ''}; ${result.alreadyApplied} already applied`);
      }, { mayCreateRoot: true }),
    );

  program
    .command('catalog')
    .description('catalogue commands')
    .command('sync [dir]')
    .description('validate the catalogue files (default: schemas/) and upsert them into the database')
    .action((dir: string | undefined) =>
      withSession(rootOption(), async (s) => {
        const catalog = await readCatalog(dir ? path.resolve(dir) : s.config.catalogDir);
        await migrate(s.database);
        const summary = await syncCatalog(s.database, catalog);
        say(`catalogue synced: ${summary.units} units, ${summary.indicators} indicators, ${summary.sources} sources, ${summary.targets} targets, ${summary.crosswalk} crosswalk rows, ${summary.forms} forms`);
        const { structureYears, indicators, indicatorYears } = summary.rebuild;
        const recomputes = (which: string, years: number[]) =>
          `rules changed: the next run recomputes the derived figures of ${which} in ${years.length} year(s): ${yearSpan(years)}`;
        if (structureYears.length > 0) say(recomputes('every indicator (the hierarchy or the crosswalk changed)', structureYears));
        if (indicatorYears.length > 0) say(recomputes(indicators.join(', '), indicatorYears));
        const { moved, strays, removed } = summary;
        const removedParts = Object.entries({
          'unit version(s)': removed.unitVersions, 'indicator(s)': removed.indicators, 'crosswalk row(s)': removed.crosswalkRows,
          'target(s)': removed.targets, 'form(s)': removed.forms,
        }).filter(([, n]) => n > 0).map(([what, n]) => `${n} ${what}`);
        if (removedParts.length > 0) say(`no longer in the files, removed: ${removedParts.join(', ')}`);
        if (moved.values > 0) say(`values moved to the unit valid in their period: ${moved.values} value(s) of ${moved.units} unit(s), in ${yearSpan(moved.years)}`);
        // Explained once, then a line per unit: an edition dropping hundreds of wards names them all.
        if (strays.length > 0) say(codedLines('warning: ', 'VALUES_WITHOUT_UNIT', { units: strays.length }).join('\n'));
        for (const stray of strays) {
          say(`  ${stray.code} (${stray.name}): ${stray.values} value(s) in ${periodList(stray.periods)}; submission(s) ${idList(stray.submissions)}`);
        }
        const { outsideScope } = summary;
        if (outsideScope.length > 0) say(codedLines('warning: ', 'VALUES_OUTSIDE_SCOPE', { units: outsideScope.length }).join('\n'));
        for (const pair of outsideScope) {
          say(`  ${pair.sourceId} → ${pair.code} (${pair.name}): ${pair.values} value(s) in ${periodList(pair.periods)}; submission(s) ${idList(pair.submissions)}`);
        }
      }, { mayCreateRoot: true }),
    );

  program
    .command('demo')
    .description('write a realistic drop root for TP Thái Nguyên (2021–2023) into --root, run the whole pipeline, print the city report')
    .option('--root <dir>', 'where to create the demo drop root (default ./dstats-demo)')
    .option('--seed <n>', 'seed of the generated figures', (v) => Number.parseInt(v, 10))
    .addOption(new Option('--lang <lang>', 'language of the report').choices(['vi', 'en']).default('vi'))
    .action(async (options: { root?: string; seed?: number; lang: 'vi' | 'en' }) => {
      const root = path.resolve(options.root ?? rootOption().root ?? 'dstats-demo');
      const { writeDemoDropRoot } = await import('../demo/index.js');
      const manifest = await writeDemoDropRoot(root, { seed: options.seed });
      say(`demo drop root: ${root} — ${manifest.files} files from ${Object.keys(manifest.bySource).length} sources, ${manifest.broken.length} of them broken on purpose`);
      await runOnce({ root }, true);
      const lastHalf = [...manifest.periods].filter((p) => /S\d$/.test(p)).sort().at(-1) ?? '2022S1';
      await withSession({ root }, async (s) => {
        say('');
        say(renderReport(await unitReport(s.database.db, '164', lastHalf), { lang: options.lang, format: 'table' }));
      });
      // The broken files are there to show the error reports: the demo itself succeeded.
      result.exitCode = 0;
    });

  program
    .command('example')
    .description('copy the bundled example drop root (examples/inbox) into --root (default ./dstats-example) and run one pass')
    .option('--root <dir>', 'where to create the example drop root (default ./dstats-example)')
    .action(async (options: { root?: string }) => {
      const root = path.resolve(options.root ?? rootOption().root ?? 'dstats-example');
      await cp(EXAMPLE_INBOX, areaDir(root, 'inbox'), { recursive: true });
      say(`example drop root: ${root}`);
      await runOnce({ root }, true);
    });

  program
    .command('run')
    .description('one pass: scan the inbox, process every file, roll up, print a summary')
    .option('--root <dir>', 'drop root')
    .option('--no-workers', 'with Redis: only enqueue and wait; let `dstats worker` processes do the work')
    .action((options: { root?: string; workers: boolean }) => runOnce({ root: options.root ?? rootOption().root }, options.workers));

  program
    .command('worker')
    .description('run BullMQ workers until SIGTERM/SIGINT (needs DATABASE_URL and REDIS_URL)')
    .addOption(new Option('--queues <names>', 'comma-separated stages to serve').default('scan,intake,normalise,load,rollup,publish'))
    .option('--concurrency <n>', 'jobs in parallel per stage', (v) => Number.parseInt(v, 10))
    .action(async (options: { queues: string; concurrency?: number }) => {
      const s = await openSession({ ...rootOption(), concurrency: options.concurrency });
      if (!s.config.redisUrl || s.database.kind !== 'postgres') {
        await s.close();
        throw new DstatsError('QUEUE_NEEDS_POSTGRES');
      }
      await checkRedis(s);
      await ensureReady(s);
      const { STAGES } = await import('../../jobs/queues.js');
      const stages = options.queues.split(',').map((q) => q.trim());
      const unknown = stages.filter((q) => !(STAGES as readonly string[]).includes(q));
      if (unknown.length) {
        await s.close();
        throw new CommanderError(EXIT_USAGE, 'dstats.usage', `unknown queue(s): ${unknown.join(', ')}; known: ${STAGES.join(', ')}`);
      }
      const { runWorkerProcess } = await import('../../jobs/worker-process.js');
      await runWorkerProcess(s, stages as never);
    });

  program
    .command('validate <file>')
    .description('dry run: check a file as the pipeline would and print its error report; nothing is stored')
    .requiredOption('--source <id>', 'the source folder the file would be dropped in (a ward code or a department id)')
    .option('--report <errors.csv>', 'also write the error report as CSV')
    .action(async (file: string, options: { source: string; report?: string }) => {
      const target = await validateTarget(file);
      const reportPath = options.report === undefined ? undefined : await validateReportPath(options.report, target);
      await withSession(rootOption(), async (s) => {
        await ensureReady(s);
        const outcome = await validateFile(s, target, options.source, reportPath);
        say(outcome.text);
        if (outcome.rejected) result.exitCode = EXIT_REJECTED;
      });
    });

  program
    .command('withdraw <submission-id...>')
    .description('take back loaded files sent by mistake (all of them or none): each of their cells takes the value it would have had without them, and the figures are rolled up again')
    .requiredOption('--reason <text>', 'why, kept with each submission and in the note beside its file')
    .action((ids: string[], options: { reason: string }) =>
      withSession(rootOption(), async (s) => {
        const reason = options.reason.trim();
        if (!reason) throw new DstatsError('WITHDRAW_NO_REASON');
        await ensureReady(s);
        const { withdrawals, indicators, years } = await withdrawAndRollUp(s.ctx, ids.map((id) => id.trim().replace(/^#/, '')), reason); // `status` shows ids as #51
        for (const withdrawal of withdrawals) {
          say(terminalSafe(`submission ${withdrawal.submissionId} (${withdrawal.sourceId}/${withdrawal.fileName}) withdrawn: `) +
            `${withdrawal.restored} value(s) now from another file, ${withdrawal.removed} value(s) no longer reported`);
          say(terminalSafe('path' in withdrawal.note
            ? `note beside the file: ${withdrawal.note.path}`
            : `warning: no note written beside the file (${withdrawal.note.error}); the withdrawal stands\n` +
              `cảnh báo: không ghi được ghi chú cạnh tệp (${withdrawal.note.error}); tệp vẫn được rút lại`));
        }
        if (years.length > 0) say(`figures computed again: ${indicators.join(', ')} in ${yearSpan(years)}`);
      }),
    );

  program
    .command('report')
    .description("a unit's figures for a period with growth and plan attainment, like the city's own reports")
    .requiredOption('--unit <code>', 'GSO unit code, e.g. 164')
    .requiredOption('--period <period>', 'period code or words: 2022S1, "6 tháng đầu năm 2022", Q2/2022 …')
    .addOption(new Option('--lang <lang>', 'language').choices(['vi', 'en']).default('vi'))
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
    .action((options: { unit: string; period: string; lang: 'vi' | 'en'; format: 'table' | 'csv' | 'json' }) =>
      withSession(rootOption(), async (s) => {
        const period = parsePeriod(options.period);
        if (!period) throw new DstatsError('REPORT_UNKNOWN_PERIOD', { period: options.period });
        await ensureReady(s);
        const report = await unitReport(s.database.db, options.unit, period);
        if (!report.unit) throw await unitNotInPeriod(s.database.db, options.unit, period);
        say(renderReport(report, { lang: options.lang, format: options.format }));
      }),
    );

  program
    .command('scheduler')
    .description('run the nightly pass on its cron schedule ($DSTATS_NIGHTLY_CRON in $DSTATS_TZ); any number of replicas, one run per slot')
    .action(async () => {
      // A wrong DSTATS_ROOT would otherwise find nothing to take, every night, and say nothing.
      await checkRoot(rootOption());
      const s = await openSession(rootOption());
      await checkRedis(s);
      await ensureReady(s);
      const { runSchedulerProcess } = await import('../../jobs/scheduler.js');
      await runSchedulerProcess(s);
    });

  program
    .command('watch')
    .description('start a pass within seconds of a file arriving, with a periodic rescan for missed events')
    .option('--rescan <seconds>', 'rescan interval (network shares lose events)', (v) => Number.parseInt(v, 10), 60)
    .option('--no-events', 'rely on the periodic rescan only (shares that never send events)')
    .action(async (options: { rescan: number; events: boolean }) => {
      if (!Number.isFinite(options.rescan) || options.rescan < 1) throw new CommanderError(EXIT_USAGE, 'dstats.usage', '--rescan takes a number of seconds ≥ 1');
      await checkRoot(rootOption());
      const s = await openSession(rootOption());
      await checkRedis(s);
      await ensureReady(s);
      const { runWatchProcess } = await import('../../jobs/watch.js');
      await runWatchProcess(s, { rescanSeconds: options.rescan, events: options.events });
    });

  program
    .command('serve')
    .description('status page (vi/en), /metrics, /healthz and the queue UI at /queues')
    .option('--port <n>', 'port (default $DSTATS_PORT or 8080)')
    .option('--host <address>', 'address to listen on (the queue UI has no login: keep it local)', '127.0.0.1')
    .action(async (options: { port?: string; host: string }) => {
      // Whole digits only: parseInt read "80abc" as 80 and "1.5" as 1.
      const typed = (options.port ?? process.env.DSTATS_PORT ?? '8080').trim();
      const port = /^\d{1,5}$/.test(typed) ? Number(typed) : NaN;
      if (!(port <= 65535)) throw new CommanderError(EXIT_USAGE, 'dstats.usage', `not a port: "${typed}" (a whole number from 0 to 65535)`);
      const s = await openSession(rootOption());
      await ensureReady(s);
      const { startServer } = await import('../serve/server.js');
      const server = await startServer({ session: s, port, host: options.host });
      say(`dstats serve: ${server.url} (status page, /metrics, /healthz, /queues)`);
      await new Promise<void>((resolve) => {
        process.once('SIGTERM', () => resolve());
        process.once('SIGINT', () => resolve());
      });
      await server.close();
      await s.close();
    });

  program
    .command('status')
    .description('submissions by state, recent rejections, queue depths')
    .action(() => withSession(rootOption(), async (s) => void say(await statusReport(s))));

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    result.exitCode = 0;
    await program.parseAsync(argv);
    return result.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0) return 0;
      if (error.code === 'dstats.usage') process.stderr.write(`${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof DstatsError) {
      process.stderr.write(error.lines('dstats: ').join('\n') + '\n');
      for (const issue of catalogIssues(error).slice(1)) {
        process.stderr.write(`  ${issue.file} line ${issue.line}, field ${issue.field}: ${issue.detail}\n`);
      }
      return UNREACHABLE.has(error.code) ? EXIT_INTERNAL : EXIT_USAGE;
    }
    process.stderr.write(`dstats: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT_INTERNAL;
  }
}
