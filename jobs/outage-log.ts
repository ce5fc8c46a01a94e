// How a process logs a service it depends on (Redis, the database) going away. While Redis is
// down, each queue and worker of a process reports every failed reconnect: measured, a worker
// process wrote 16 log lines a second with their stacks. An operator needs one line when the
// service goes, one a minute while it stays away, and one when it is back.
import type { Logger } from 'pino';

export const REMIND_EVERY_MS = 60_000;

/** One process's account of one service: the first failure, a reminder a minute, the return. */
export class OutageLog {
  private downSince: number | null = null;
  private lastLine = 0;
  private failures = 0;

  constructor(
    private readonly service: 'redis' | 'database',
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  get down(): boolean {
    return this.downSince !== null;
  }

  failed(reason: string, emitter: string): void {
    const t = this.now();
    if (this.downSince === null) {
      this.downSince = t;
      this.lastLine = t;
      this.failures = 0;
      this.log.warn({ reason, emitter }, `${this.service} unreachable: jobs wait until it is back`);
      return;
    }
    this.failures += 1;
    if (t - this.lastLine >= REMIND_EVERY_MS) {
      this.lastLine = t;
      this.log.warn({ reason, downForS: Math.round((t - this.downSince) / 1000), failedAttempts: this.failures }, `${this.service} still unreachable`);
      this.failures = 0;
    }
  }

  recovered(): void {
    if (this.downSince === null) return;
    this.log.info({ downForS: Math.round((this.now() - this.downSince) / 1000) }, `${this.service} reachable again`);
    this.downSince = null;
  }
}
