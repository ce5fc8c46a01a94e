// JSON logs (pino) to stderr: ids and counts, never submitted values or secrets.
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { app: 'dstats' }, redact: ['databaseUrl', 'redisUrl', '*.password'] }, pino.destination(2));
}
