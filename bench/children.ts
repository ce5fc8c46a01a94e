// Child processes of the bench: `dstats worker` / `dstats run` and `psql \copy`.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('..', import.meta.url));
// dstats processes start as a deployment starts them: the compiled application (`npm run build`
// → dist/), not through tsx, which would add about 90 MB to every process.
const ENTRY = fileURLToPath(new URL('../dist/src/cli/start.js', import.meta.url));

export interface Child {
  process: ChildProcess;
  pid: number;
  output: string[]; // stdout and stderr lines, last 200
  exited: Promise<number>;
  /** resolves with performance.now() when a stdout line matches */
  lineMatching(pattern: RegExp, timeoutMs?: number): Promise<number>;
}

/** The environment of a child: the parent's, without any dstats or connection variable, plus `env`. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('DSTATS_') || k === 'DATABASE_URL' || k === 'REDIS_URL') continue;
    base[k] = v;
  }
  if (process.env.DSTATS_CONCURRENCY) base.DSTATS_CONCURRENCY = process.env.DSTATS_CONCURRENCY;
  return { ...base, ...env };
}

const live = new Set<ChildProcess>();

/** Kills (by pid, SIGKILL) the children this process started that are still running. */
export function killLiveChildren(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

export function startChild(command: string, args: string[], env: Record<string, string>): Child {
  const child = spawn(command, args, { env: childEnv(env), cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  const output: string[] = [];
  const watchers: { pattern: RegExp; resolve: (t: number) => void }[] = [];
  const onData = (stream: 'out' | 'err') => {
    let partial = '';
    return (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      const now = performance.now();
      for (const line of lines) {
        output.push(line);
        if (output.length > 200) output.shift();
        if (stream !== 'out') continue;
        for (const w of watchers.filter((x) => x.pattern.test(line))) {
          watchers.splice(watchers.indexOf(w), 1);
          w.resolve(now);
        }
      }
    };
  };
  child.stdout!.on('data', onData('out'));
  child.stderr!.on('data', onData('err'));
  const exited = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  if (child.pid === undefined) {
    exited.catch(() => undefined);
    throw new Error(`bench: could not start ${command} (is it on PATH?)`);
  }
  return {
    process: child,
    pid: child.pid,
    output,
    exited,
    lineMatching(pattern, timeoutMs = 120_000) {
      return new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`bench: ${command} ${args.join(' ')} did not print ${pattern} within ${timeoutMs} ms:\n${output.slice(-20).join('\n')}`)), timeoutMs);
        const done = (t: number) => {
          clearTimeout(timer);
          resolve(t);
        };
        watchers.push({ pattern, resolve: done });
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`bench: ${command} ${args.join(' ')} exited (${code}) before printing ${pattern}:\n${output.slice(-20).join('\n')}`));
        });
      });
    },
  };
}

/** `npm run build` of this checkout, so the processes run exactly its sources; returns seconds. */
export async function buildApplication(): Promise<number> {
  const t0 = performance.now();
  const child = startChild('npm', ['run', '--silent', 'build'], {});
  const code = await child.exited;
  if (code !== 0) throw new Error(`bench: npm run build failed (${code}):\n${child.output.join('\n')}`);
  return (performance.now() - t0) / 1000;
}

/** A compiled `dstats` process (after buildApplication). */
export function startDstats(args: string[], env: Record<string, string>): Child {
  return startChild(process.execPath, [ENTRY, ...args], env);
}

/** SIGTERM (workers drain their in-flight jobs) and wait; SIGKILL after `graceMs`. */
export async function stopChild(child: Child, graceMs = 30_000): Promise<number> {
  if (child.process.exitCode !== null) return child.process.exitCode;
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), graceMs);
  try {
    return await child.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** `psql -c "\copy table FROM 'file' WITH (FORMAT csv, HEADER)"`, timed from spawn to exit. */
export async function psqlCopy(databaseUrl: string, table: string, file: string): Promise<{ seconds: number; output: string }> {
  if (file.includes("'")) throw new Error('bench: temporary path contains a quote');
  const t0 = performance.now();
  const child = startChild('psql', [databaseUrl, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', `\\copy ${table} FROM '${file}' WITH (FORMAT csv, HEADER)`], {});
  const code = await child.exited;
  const seconds = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`bench: psql \\copy failed (${code}): ${child.output.join('\n')}`);
  return { seconds, output: child.output.join('\n') };
}

/** VmRSS and VmHWM (peak) of a process, in MB; null where /proc is not available. */
export async function memoryOf(pid: number): Promise<{ rssMb: number; hwmMb: number } | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** Polls a process's memory until stopped; keeps the largest RSS and peak seen. */
export function sampleMemory(pid: number, everyMs = 100): { stop(): Promise<{ maxRssMb: number; hwmMb: number; samples: number }> } {
  let maxRss = 0;
  let hwm = 0;
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const m = await memoryOf(pid);
      if (m) {
        samples++;
        maxRss = Math.max(maxRss, m.rssMb);
        hwm = Math.max(hwm, m.hwmMb);
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      const last = await memoryOf(pid); // VmHWM at the end covers any spike between samples
      if (last) hwm = Math.max(hwm, last.hwmMb);
      running = false;
      await loop;
      return { maxRssMb: maxRss, hwmMb: hwm, samples };
    },
  };
}
