// How a process logs a service going away (jobs/outage-log.ts, jobs/redis-trouble.ts): one line
// when it goes, one a minute while it stays away, one when it is back; any other Redis error every
// time, with its stack. And which failures count as the service being away
// (src/db/unavailable.ts for the database). The clock is the test's, the logger a real pino
// writing to memory.
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import pg from 'pg';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { OutageLog, REMIND_EVERY_MS } from '../../jobs/outage-log.js';
import { isConnectionError, redisErrorListener } from '../../jobs/redis-trouble.js';
import { isDatabaseUnavailable } from '../../src/db/unavailable.js';
import { freePort } from '../helpers/faults.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  let now = 1_000_000;
  return { lines, log: pino({ level: 'info' }, sink), now: () => now, advance: (ms: number) => void (now += ms) };
}

describe('an outage in the log', () => {
  it('is one line when it starts, one a minute while it lasts and one when it ends', () => {
    const { lines, log, now, advance } = capture();
    const outage = new OutageLog('redis', log, now);
    // Six workers and six queues failing every 200 ms for two and a half minutes.
    for (let t = 0; t < 150_000; t += 200) {
      for (let emitter = 0; emitter < 12; emitter++) outage.failed('connect ECONNREFUSED 127.0.0.1:6391', `worker ${emitter}`);
      advance(200);
    }
    outage.recovered();
    expect(lines.map((l) => l.msg)).toEqual([
      'redis unreachable: jobs wait until it is back',
      'redis still unreachable',
      'redis still unreachable',
      'redis reachable again',
    ]);
    expect(lines[0]).toMatchObject({ level: 40, reason: 'connect ECONNREFUSED 127.0.0.1:6391', emitter: 'worker 0' });
    expect(lines[1]).toMatchObject({ downForS: REMIND_EVERY_MS / 1000, failedAttempts: (REMIND_EVERY_MS / 200) * 12 });
    expect(lines[3]).toMatchObject({ level: 30, downForS: 150 });
  });

  it('starts a new story after the service came back, and says nothing of a return without an outage', () => {
    const { lines, log, now, advance } = capture();
    const outage = new OutageLog('database', log, now);
    outage.recovered();
    outage.failed('connect ECONNREFUSED 127.0.0.1:5499', 'worker load');
    advance(3_000);
    outage.recovered();
    outage.failed('the database system is shutting down', 'worker normalise');
    expect(lines.map((l) => [l.msg, l.emitter])).toEqual([
      ['database unreachable: jobs wait until it is back', 'worker load'],
      ['database reachable again', undefined],
      ['database unreachable: jobs wait until it is back', 'worker normalise'],
    ]);
    expect(outage.down).toBe(true);
  });
});

describe("a process's Redis errors", () => {
  it('tells connection failures as an outage, without a stack, and logs any other error each time with its stack', () => {
    const { lines, log } = capture();
    const client = new Redis({ lazyConnect: true }); // never connects: only its events are used
    const onError = redisErrorListener(log, client);
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6391'), { code: 'ECONNREFUSED' });
    onError(refused, 'queue scan');
    onError(refused, 'worker load');
    const script = new Error('ERR Error running script (call to f_1234): @user_script:1: oops');
    onError(script, 'worker rollup');
    onError(script, 'worker rollup');
    client.emit('ready');
    expect(lines.map((l) => l.msg)).toEqual(['redis unreachable: jobs wait until it is back', 'redis error', 'redis error', 'redis reachable again']);
    expect(lines[0]).not.toHaveProperty('err');
    expect((lines[1]!.err as { stack: string }).stack).toContain('oops');
    // Queues and workers of the same connection share the story.
    redisErrorListener(log, client)(refused, 'queue intake');
    expect(lines).toHaveLength(5);
    client.disconnect();
  });

  it('tells connection failures from other errors', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']) {
      expect(isConnectionError(Object.assign(new Error('x'), { code })), code).toBe(true);
    }
    for (const message of ['Connection is closed.', 'Failed to refresh slots cache.', 'CLUSTERDOWN The cluster is down', 'LOADING Redis is loading the dataset in memory']) {
      expect(isConnectionError(new Error(message)), message).toBe(true);
    }
    for (const message of ['ERR unknown command', 'WRONGTYPE Operation against a key holding the wrong kind of value', 'Missing lock for job 12. moveToFinished']) {
      expect(isConnectionError(new Error(message)), message).toBe(false);
    }
  });
});

describe('a database that cannot be reached now', () => {
  it('is a refused or unresolvable connection, as pg reports them', async () => {
    const port = await freePort();
    for (const url of [`postgres://postgres@127.0.0.1:${port}/x`, 'postgres://postgres@dstats-no-such-host.invalid:5432/x']) {
      const pool = new pg.Pool({ connectionString: url });
      const error = await pool.query('SELECT 1').catch((e: unknown) => e);
      await pool.end();
      expect(isDatabaseUnavailable(error), String(error)).toBe(true);
    }
  });

  it('is a server taking no session now, and not one that dropped a session or refused a statement', () => {
    const withCode = (code: string) => Object.assign(new Error(code), { code });
    for (const code of ['57P03', '53300', '08001', '08006']) expect(isDatabaseUnavailable(withCode(code)), code).toBe(true);
    // terminated by an administrator, query cancelled, deadlock, unique violation, connection reset mid-query
    for (const code of ['57P01', '57014', '40P01', '23505', 'ECONNRESET']) expect(isDatabaseUnavailable(withCode(code)), code).toBe(false);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(false);
    expect(isDatabaseUnavailable(new AggregateError([withCode('ECONNREFUSED')], 'x'))).toBe(true);
  });
});
