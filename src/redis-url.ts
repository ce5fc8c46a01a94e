// REDIS_URL names one Redis, or for a Redis Cluster one or more of its nodes, in the multi-host form
// libpq also reads: redis://:password@node1:6379,node2:6379,node3:6379. Several nodes let a process
// start while one of them is down (a cluster client needs one node that answers to learn the rest).
import { ConnectionString } from 'connection-string';

export interface RedisNode {
  host: string;
  port: number;
}

export interface RedisNodes {
  nodes: RedisNode[];
  username?: string;
  password?: string;
  tls: boolean;
}

const DEFAULT_PORT = 6379;

/** Null when `url` is not a redis:// or rediss:// URL with at least one host. */
export function parseRedisUrl(url: string): RedisNodes | null {
  let parsed: ConnectionString;
  try {
    parsed = new ConnectionString(url);
  } catch {
    return null;
  }
  const hosts = parsed.hosts ?? [];
  if ((parsed.protocol !== 'redis' && parsed.protocol !== 'rediss') || hosts.length === 0 || hosts.some((h) => !h.name)) return null;
  return {
    // ioredis wants an IPv6 address without its brackets.
    nodes: hosts.map((h) => ({ host: h.name!.replace(/^\[(.*)\]$/, '$1'), port: h.port ?? DEFAULT_PORT })),
    username: parsed.user,
    password: parsed.password,
    tls: parsed.protocol === 'rediss',
  };
}

/** As messages and logs may show it: scheme, user and hosts, never the password. */
export function describeRedisUrl(url: string): string | null {
  try {
    const parsed = new ConnectionString(url);
    if (!parsed.protocol || !parsed.hosts) return null;
    return `${parsed.protocol}://${parsed.user ? `${encodeURIComponent(parsed.user)}@` : ''}${parsed.hosts.toString()}${parsed.path ? `/${parsed.path.join('/')}` : ''}`;
  } catch {
    return null;
  }
}
