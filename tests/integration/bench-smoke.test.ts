// Smoke test of the bench harness (`npm run bench -- --tiny`): every figure is printed as
// `name=value` with a finite positive number and written to the JSON file. No timing is asserted:
// performance is reported by the bench, never tested.
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADLINE, main, type BenchOutcome } from '../../bench/main.js';
import { serverUrls, tempDir } from '../helpers/services.js';
import { databasesNamed, dropDatabases } from '../helpers/test-databases.js';

// The 1 GB file (peak_rss_mb) is never part of --tiny.
const EXPECTED = HEADLINE.filter((name) => name !== 'peak_rss_mb');

interface BenchRun {
  outcome: BenchOutcome;
  lines: string[];
  errors: string[];
}

/** Runs the bench with `args` (and a JSON file of its own) once for the describe block that calls it. */
function benchOnce(label: string, args: string[]): BenchRun {
  const run: BenchRun = { outcome: { code: -1, figures: {}, resultsFile: null }, lines: [], errors: [] };
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir(label);
    run.outcome = await main([...args, '--json', path.join(dir.dir, 'latest.json')], {
      ...serverUrls(),
      out: (line) => run.lines.push(line),
      err: (line) => run.errors.push(line),
    });
  }, 300_000);
  afterAll(async () => {
    await dir.remove();
  });
  return run;
}

/** Runs `fn` on a connection of its own to the test server, to `database` when given. */
async function onServer<T>(fn: (client: pg.Client) => Promise<T>, database?: string): Promise<T> {
  const url = new URL(serverUrls().databaseUrl);
  if (database) url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The databases a bench run left on the server (another bench may run there at the same time). */
async function databasesLeftBy(run: BenchRun): Promise<string[]> {
  const runId = /run ([0-9a-f]{8})/.exec(run.errors.join('\n'))?.[1];
  expect(runId).toBeDefined();
  return databasesNamed(serverUrls().databaseUrl, `dstats_bench_${runId}`);
}

describe('npm run bench -- --tiny', () => {
  const run = benchOnce('bench', ['--tiny']);
  const { lines, errors } = run;

  it('finishes without error', () => {
    expect(run.outcome.code, errors.join('\n')).toBe(0);
  });

  it('prints every figure as name=value with a finite positive number', () => {
    const printed = new Map(
      lines.map((line) => {
        const match = /^([a-z0-9_]+)=(.*)$/.exec(line);
        expect(match, `not a name=value line: ${line}`).not.toBeNull();
        return [match![1]!, match![2]!] as const;
      }),
    );
    for (const name of EXPECTED) {
      expect(printed.has(name), `${name} not printed; got ${[...printed.keys()].join(', ')}`).toBe(true);
      const value = Number(printed.get(name));
      expect(Number.isFinite(value) && value > 0, `${name}=${printed.get(name)}`).toBe(true);
    }
    expect(printed.get('load_rows')).toBe('300');
    expect(printed.get('small_files')).toBe('20');
  });

  it('writes the same figures with the machine they were measured on', async () => {
    const json = JSON.parse(await readFile(run.outcome.resultsFile!, 'utf8'));
    expect(json.mode).toBe('tiny');
    for (const name of EXPECTED) expect(json.figures[name]).toBe(run.outcome.figures[name]);
    expect(json.machine).toMatchObject({ cpus: expect.any(Number), memory_gb: expect.any(Number), node: process.version });
    expect(json.machine.postgres).toMatch(/PostgreSQL/);
    expect(typeof json.machine.date).toBe('string');
  });

  it('leaves no bench database behind', async () => {
    expect(await databasesLeftBy(run)).toEqual([]);
  });
});

describe('npm run bench -- --tiny --only load,small --repeat 3', () => {
  const run = benchOnce('bench-repeat', ['--tiny', '--only', 'load,small', '--repeat', '3']);
  const { lines, errors } = run;

  it('runs the scenario three times and prints each figure once, the middle of its three runs', async () => {
    expect(run.outcome.code, errors.join('\n')).toBe(0);
    expect(errors.filter((e) => /round \d of 3/.test(e))).toHaveLength(3);
    const names = lines.map((line) => line.split('=')[0]!);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['load_vs_copy_ratio', 'small_files_per_s']));

    const json = JSON.parse(await readFile(run.outcome.resultsFile!, 'utf8'));
    expect(json.repeat).toBe(3);
    for (const name of names) {
      const runs: number[] = json.figure_runs[name];
      expect(runs, name).toHaveLength(3);
      for (const v of runs) expect(Number.isFinite(v) && v > 0, `${name}: ${runs}`).toBe(true);
      expect(json.figures[name]).toBe([...runs].sort((a, b) => a - b)[1]);
    }
    expect(json.details.load).toHaveLength(3);
    // Each round's small files went through queues of their own: every file loaded, every round.
    expect(json.figure_runs.small_files).toEqual([20, 20, 20]);
    for (const round of json.details.small_files) expect(round.stages.load.jobs).toBe(20);
  });

  it('leaves none of the three runs’ databases behind', async () => {
    expect(await databasesLeftBy(run)).toEqual([]);
  });

  it.each([['0'], ['two'], ['21']])('refuses --repeat %s with the usage', async (value) => {
    const refused: string[] = [];
    const result = await main(['--tiny', '--repeat', value], { ...serverUrls(), err: (line) => refused.push(line), out: () => {} });
    expect(result.code).toBe(2);
    expect(refused.join('\n')).toMatch(/--repeat takes a whole number from 1 to 20[\s\S]*usage: npm run bench/);
  });
});

describe('npm run bench -- --tiny --only load --repeat 2 --keep', () => {
  const run = benchOnce('bench-keep', ['--tiny', '--only', 'load', '--repeat', '2', '--keep']);
  const kept = () => /bench --keep: databases (.*) and (\S+) kept/.exec(run.errors.join('\n'));

  afterAll(async () => {
    await dropDatabases(serverUrls().databaseUrl, await databasesLeftBy(run));
    const dir = kept()?.[2];
    if (dir?.startsWith(os.tmpdir())) await rm(dir, { recursive: true, force: true });
  });

  it('keeps each round in a database of its own, and says which', async () => {
    expect(run.outcome.code, run.errors.join('\n')).toBe(0);
    const [template, ...rounds] = kept()![1]!.split(', ');
    expect(rounds).toEqual([`${template}_load`, `${template}_load_2`]);
    expect((await databasesLeftBy(run)).sort()).toEqual([template, ...rounds].sort());
    // Each round loaded its own file and the file corrected: 300 observations each, 300 cells.
    for (const name of rounds) {
      const { rows } = await onServer(
        (c) => c.query<{ observations: number; cells: number }>('SELECT (SELECT count(*)::int FROM core.observation) AS observations, (SELECT count(*)::int FROM core.current_value) AS cells'),
        name,
      );
      expect(rows[0], name).toEqual({ observations: 600, cells: 300 });
    }
  });
});
