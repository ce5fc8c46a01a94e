// REDIS_URL with one host, or several for a Redis Cluster (src/redis-url.ts): what the connection
// is made of, and what messages may show of it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeServerUrl, loadConfig } from '../../src/config.js';
import { parseRedisUrl } from '../../src/redis-url.js';

describe('parseRedisUrl', () => {
  it('reads every host of a multi-host URL, with the default port, an IPv6 address, the credentials and TLS', () => {
    expect(parseRedisUrl('rediss://ops:p%40ss@node1:7000,node2,[::1]:7002')).toEqual({
      nodes: [{ host: 'node1', port: 7000 }, { host: 'node2', port: 6379 }, { host: '::1', port: 7002 }],
      username: 'ops',
      password: 'p@ss',
      tls: true,
    });
    expect(parseRedisUrl('redis://127.0.0.1:6379')).toEqual({ nodes: [{ host: '127.0.0.1', port: 6379 }], username: undefined, password: undefined, tls: false });
  });

  it.each(['http://node1:6379', 'redis://', 'redis://:secret@', 'redis://node1:99999', 'node1 6379'])('refuses %s', (url) => {
    expect(parseRedisUrl(url)).toBeNull();
  });

  it('round-trips any list of hosts and ports, and a description never holds the password', () => {
    const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,14}$/);
    const host = fc.record({ name: fc.array(label, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('.')), port: fc.integer({ min: 1, max: 65535 }) });
    // Always with a character that encodes to %..: a description, which has no %, cannot hold it by chance.
    const password = fc.string({ minLength: 4, maxLength: 24 }).filter((p) => p.trim().length >= 4).map((p) => `${p}/`);
    fc.assert(
      fc.property(fc.array(host, { minLength: 1, maxLength: 6 }), password, (hosts, secret) => {
        const url = `redis://:${encodeURIComponent(secret)}@${hosts.map((h) => `${h.name}:${h.port}`).join(',')}`;
        const parsed = parseRedisUrl(url);
        expect(parsed?.nodes).toEqual(hosts.map((h) => ({ host: h.name, port: h.port })));
        expect(parsed?.password).toBe(secret);
        const shown = describeServerUrl(url, 'REDIS_URL');
        expect(shown).toBe(`redis://${hosts.map((h) => `${h.name}:${h.port}`).join(',')}`);
        expect(shown).not.toContain(encodeURIComponent(secret));
      }),
    );
  });
});

describe('REDIS_URL in the configuration', () => {
  it('takes several hosts for a Redis Cluster', () => {
    const config = loadConfig({ REDIS_URL: 'redis://:s@node1:6379,node2:6379', DSTATS_REDIS_CLUSTER: 'true' });
    expect(config.redisUrl).toBe('redis://:s@node1:6379,node2:6379');
  });

  it('refuses several hosts for a single Redis, and a URL that is not Redis, with CONFIG_INVALID naming REDIS_URL', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis://node1:6379,node2:6379' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(/REDIS_URL: several hosts are only for a Redis Cluster/) }),
    );
    expect(() => loadConfig({ REDIS_URL: 'http://node1:6379' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('REDIS_URL') }));
  });
});
