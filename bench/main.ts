// `npm run bench [-- --quick | --tiny | --years N] [--repeat N]`: measures dstats against
// baselines taken in the same run, on its own database (DATABASE_URL's server) and queue prefix
// (REDIS_URL), with generated, deterministic data. Prints one `name=value` line per figure on
// stdout (progress goes to stderr) and writes the figures with machine information to
// bench/results/latest.json.
// See bench/README.md.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { benchBigFile } from './big-file.js';
import { buildApplication, killLiveChildren } from './children.js';
import { BenchEnv, machineInfo } from './env.js';
import { universe } from './generate.js';
import { benchLoad } from './load.js';
import { benchRollup } from './rollup.js';
import { Rounds } from './rounds.js';
import { benchSmallFilesInProcess, benchSmallFilesWorkers, writeSmallFiles } from './small-files.js';
import { benchYears } from './years.js';

export type Mode = 'full' | 'quick' | 'tiny';

export const SIZES: Record<Mode, { loadRows: number; smallFiles: number; bigFileBytes: number | null; warehouse: number }> = {
  full: { loadRows: 1_000_000, smallFiles: 3000, bigFileBytes: 2 ** 30, warehouse: 2_000_000 },
  quick: { loadRows: 200_000, smallFiles: 500, bigFileBytes: null, warehouse: 200_000 },
  tiny: { loadRows: 300, smallFiles: 20, bigFileBytes: null, warehouse: 2_000 },
};

/** The headline figures, in print order (peak_rss_mb only when the 1 GB file runs). */
export const HEADLINE = [
  'load_vs_copy_ratio',
  'small_files_per_s',
  'small_files_per_s_workers2',
  'peak_rss_mb',
  'incremental_rollup_ratio',
  'bi_query_ms_indicator_by_ward',
  'bi_query_ms_ward_history',
  'bi_query_ms_city_report',
  'bi_query_ms_value_history',
  'bi_query_ms_target_progress',
  'bi_query_ms_completeness_pivot',
] as const;

/** What the lead aims for; reported, never asserted. */
export const GOALS: Record<string, { op: '<=' | '>='; value: number }> = {
  load_vs_copy_ratio: { op: '<=', value: 2.0 },
  small_files_per_s: { op: '>=', value: 50 },
  small_files_per_s_workers2: { op: '>=', value: 50 },
  peak_rss_mb: { op: '<=', value: 300 },
  incremental_rollup_ratio: { op: '<=', value: 0.05 },
  bi_query_ms_indicator_by_ward: { op: '<=', value: 50 },
  bi_query_ms_ward_history: { op: '<=', value: 50 },
  bi_query_ms_city_report: { op: '<=', value: 50 },
  bi_query_ms_value_history: { op: '<=', value: 50 },
  bi_query_ms_target_progress: { op: '<=', value: 50 },
  bi_query_ms_completeness_pivot: { op: '<=', value: 50 },
};

const SCENARIOS = ['load', 'small', 'workers2', 'rss', 'rollup'] as const;
type Scenario = (typeof SCENARIOS)[number];

export const DEFAULT_RESULTS_FILE = fileURLToPath(new URL('./results/latest.json', import.meta.url));

const USAGE = `usage: npm run bench [-- options]
  (no option)     full run: 1,000,000-row file, 3,000 small files, ~1 GB file, 2,000,000-observation warehouse
  --quick         200,000 rows, 500 small files, no 1 GB file, 200,000 observations
  --tiny          CI smoke: a few hundred rows, 20 small files, no 1 GB file
  --years N       scale mode only: N years (1-25) of monthly data for every ward and commune
  --only LIST     run only some of: ${SCENARIOS.join(',')} (rollup includes the BI queries)
  --rss           also run the ~1 GB file with --quick or --tiny
  --rss-mb N      size of that file in MB (default 1024)
  --keep          keep the databases and generated files (to inspect them; drop them yourself)
  --repeat N      run every scenario N times (1-20), in rounds; each figure is the median of its runs
  --json FILE     where to write the results (default bench/results/latest.json)
Needs DATABASE_URL (a role that may CREATE DATABASE) and REDIS_URL; psql on PATH.`;

export interface BenchIO {
  out?: (line: string) => void;
  err?: (line: string) => void;
  databaseUrl?: string;
  redisUrl?: string;
  /** clean up and exit on SIGINT/SIGTERM (the command line) */
  handleSignals?: boolean;
}

export interface BenchOutcome {
  code: number;
  figures: Record<string, number>;
  resultsFile: string | null;
}

/** Few significant digits, never rounded down to zero. */
export function formatFigure(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return String(n);
  if (Math.abs(n) >= 100) return n.toFixed(1);
  return String(Number(n.toPrecision(4)));
}

export async function main(argv: string[], io: BenchIO = {}): Promise<BenchOutcome> {
  const out = io.out ?? ((line: string) => void process.stdout.write(line + '\n'));
  const err = io.err ?? ((line: string) => void process.stderr.write(line + '\n'));
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        quick: { type: 'boolean', default: false },
        tiny: { type: 'boolean', default: false },
        years: { type: 'string' },
        only: { type: 'string' },
        rss: { type: 'boolean', default: false },
        keep: { type: 'boolean', default: false },
        'rss-mb': { type: 'string' },
        repeat: { type: 'string' },
        json: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    err(`${(error as Error).message}\n${USAGE}`);
    return { code: 2, figures: {}, resultsFile: null };
  }
  if (args.help) {
    out(USAGE);
    return { code: 0, figures: {}, resultsFile: null };
  }
  const mode: Mode = args.tiny ? 'tiny' : args.quick ? 'quick' : 'full';
  const sizes = SIZES[mode];
  const years = args.years === undefined ? null : Number(args.years);
  const rssBytes = args['rss-mb'] === undefined ? (sizes.bigFileBytes ?? 2 ** 30) : Number(args['rss-mb']) * 2 ** 20;
  const only = args.only ? new Set(args.only.split(',').map((s) => s.trim())) : null;
  const unknown = only ? [...only].filter((s) => !(SCENARIOS as readonly string[]).includes(s)) : [];
  const repeat = args.repeat === undefined ? 1 : Number(args.repeat);
  const problems = [
    unknown.length > 0 && `unknown scenario(s): ${unknown.join(', ')}`,
    !(rssBytes > 0) && '--rss-mb takes a positive number',
    years !== null && !Number.isInteger(years) && '--years takes a whole number',
    !(Number.isInteger(repeat) && repeat >= 1 && repeat <= 20) && '--repeat takes a whole number from 1 to 20',
  ].filter((p): p is string => typeof p === 'string');
  if (problems.length > 0) {
    err(`${problems.join('; ')}\n${USAGE}`);
    return { code: 2, figures: {}, resultsFile: null };
  }
  const databaseUrl = io.databaseUrl ?? process.env.DATABASE_URL;
  const redisUrl = io.redisUrl ?? process.env.REDIS_URL;
  if (!databaseUrl || !redisUrl) {
    err(`bench: DATABASE_URL and REDIS_URL must both be set.\n${USAGE}`);
    return { code: 2, figures: {}, resultsFile: null };
  }
  const wants = (s: Scenario) => years === null && (only ? only.has(s) : s !== 'rss' || sizes.bigFileBytes !== null || args.rss);

  const rounds = new Rounds();
  const details: Record<string, unknown> = {};
  const env = new BenchEnv(databaseUrl, redisUrl, err);
  env.keep = args.keep;
  const progress = (s: string) => err(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`);

  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    err(`bench: ${signal}, cleaning up`);
    killLiveChildren();
    void env.cleanup().finally(() => process.exit(130));
  };
  if (io.handleSignals) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }

  const resultsFile = path.resolve(args.json ?? DEFAULT_RESULTS_FILE);
  let machine: Record<string, unknown> = {};
  let failure: Error | null = null;
  const started = Date.now();
  try {
    machine = await machineInfo(databaseUrl, redisUrl);
    progress(`mode ${years !== null ? `years ${years}` : mode}; run ${env.runId}; ${machine.cpus} CPUs, ${machine.memory_gb} GB, node ${machine.node}`);
    await env.prepare();
    const u = universe(env.catalog);
    if (wants('workers2') || wants('rss')) {
      progress('building the application for the worker processes (npm run build)');
      details.build_s = await buildApplication();
    }

    const smallFiles = wants('small') || wants('workers2') ? await writeSmallFiles(env, u, sizes.smallFiles) : null;
    for (let round = 1; round <= repeat; round++) {
      if (repeat > 1) progress(`round ${round} of ${repeat}`);
      if (years !== null) rounds.add('years', await benchYears(env, u, years, progress));
      if (wants('load')) rounds.add('load', await benchLoad(env, u, sizes.loadRows, progress));
      if (smallFiles && wants('small')) rounds.add('small_files', await benchSmallFilesInProcess(env, sizes.smallFiles, smallFiles, progress));
      if (smallFiles && wants('workers2')) rounds.add('small_files_workers2', await benchSmallFilesWorkers(env, sizes.smallFiles, smallFiles, 2, progress));
      if (wants('rss')) rounds.add('peak_rss', await benchBigFile(env, u, rssBytes, progress));
      if (wants('rollup')) {
        const { rollup, bi } = await benchRollup(env, u, sizes.warehouse, progress);
        rounds.add('rollup', rollup);
        rounds.add('bi_queries', bi);
      }
    }
  } catch (error) {
    failure = error as Error;
    err(`bench failed: ${failure.stack ?? failure.message}`);
  } finally {
    killLiveChildren();
    await env.cleanup();
    if (io.handleSignals) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }

  const figures = rounds.medians();
  for (const [k, v] of Object.entries(figures)) out(`${k}=${formatFigure(v)}`);
  for (const [k, runs] of Object.entries(rounds.runs)) {
    if (new Set(runs).size > 1) progress(`${k}: median ${formatFigure(figures[k]!)} of ${runs.map(formatFigure).join(', ')}`);
  }
  const goals = Object.fromEntries(
    Object.entries(GOALS)
      .filter(([k]) => k in figures)
      .map(([k, g]) => [k, { ...g, met: g.op === '<=' ? figures[k]! <= g.value : figures[k]! >= g.value }]),
  );
  for (const [k, g] of Object.entries(goals)) progress(`goal ${k} ${g.op} ${g.value}: ${g.met ? 'met' : 'NOT met'} (${formatFigure(figures[k]!)})`);
  const json = {
    mode: years !== null ? `years:${years}` : mode,
    sizes: years !== null ? { years } : sizes,
    repeat,
    duration_s: Math.round((Date.now() - started) / 100) / 10,
    machine,
    figures,
    figure_runs: rounds.runs,
    goals,
    details: { ...details, ...rounds.detailsByScenario() },
    error: failure ? failure.message : undefined,
  };
  await mkdir(path.dirname(resultsFile), { recursive: true });
  await writeFile(resultsFile, JSON.stringify(json, null, 2) + '\n');
  progress(`results written to ${resultsFile}`);
  return { code: failure ? 1 : 0, figures, resultsFile };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const outcome = await main(process.argv.slice(2), { handleSignals: true });
  // Exit explicitly: pools and Redis connections of the scenarios are closed, but keep-alive timers may linger.
  process.exitCode = outcome.code;
  process.stdout.write('', () => process.exit(outcome.code));
}
