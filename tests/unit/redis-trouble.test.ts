// How a process logs a Redis outage (jobs/redis-trouble.ts): one line when it starts, one a minute
// while it lasts, one when it ends; any other Redis error every time, with its stack. The clock is
// the test's, the logger a real pino writing to memory.
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { isConnectionError, REMIND_EVERY_MS, RedisTrouble } from '../../jobs/redis-trouble.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  let now = 1_000_000;
  const trouble = new RedisTrouble(pino({ level: 'info' }, sink), () => now);
  return { lines, trouble, advance: (ms: number) => void (now += ms) };
}

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6391'), { code: 'ECONNREFUSED' });

describe('a Redis outage in the log', () => {
  it('is one line when it starts, one a minute while it lasts and one when it ends', () => {
    const { lines, trouble, advance } = capture();
    // Six workers and six queues failing every 200 ms for two and a half minutes.
    for (let t = 0; t < 150_000; t += 200) {
      for (let emitter = 0; emitter < 12; emitter++) trouble.report(refused(), `worker ${emitter}`);
      advance(200);
    }
    trouble.reconnected();
    expect(lines.map((l) => l.msg)).toEqual([
      'redis unreachable: jobs wait, the connection is retried',
      'redis still unreachable',
      'redis still unreachable',
      'redis reachable again',
    ]);
    expect(lines[0]).toMatchObject({ level: 40, reason: 'connect ECONNREFUSED 127.0.0.1:6391', emitter: 'worker 0' });
    expect(lines[0]).not.toHaveProperty('err'); // no stack for the expected
    expect(lines[1]).toMatchObject({ downForS: REMIND_EVERY_MS / 1000, failedAttempts: (REMIND_EVERY_MS / 200) * 12 });
    expect(lines[3]).toMatchObject({ level: 30, downForS: 150 });
  });

  it('starts a new story after Redis came back, and says nothing of a reconnect without an outage', () => {
    const { lines, trouble, advance } = capture();
    trouble.reconnected();
    trouble.report(refused(), 'queue scan');
    advance(3_000);
    trouble.reconnected();
    trouble.report(new Error('Connection is closed.'), 'worker load');
    expect(lines.map((l) => [l.msg, l.emitter])).toEqual([
      ['redis unreachable: jobs wait, the connection is retried', 'queue scan'],
      ['redis reachable again', undefined],
      ['redis unreachable: jobs wait, the connection is retried', 'worker load'],
    ]);
  });

  it('logs any other Redis error every time, with its stack', () => {
    const { lines, trouble } = capture();
    const script = new Error('ERR Error running script (call to f_1234): @user_script:1: oops');
    trouble.report(script, 'worker rollup');
    trouble.report(script, 'worker rollup');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 50, msg: 'redis error', emitter: 'worker rollup' });
    expect((lines[0]!.err as { stack: string }).stack).toContain('oops');
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
