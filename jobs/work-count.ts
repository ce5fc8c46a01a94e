// The jobs of a process that are doing their own work (reading a file, writing the database), as
// opposed to waiting on a service: a job handing its result on to the next queue waits on Redis,
// one whose database is away waits on the database. A process told to stop may leave once none is
// at work (close-clients.ts): what a waiting job has done is already stored or rolled back.
export class WorkCount {
  private count = 0;

  get atWork(): number {
    return this.count;
  }

  /** Runs a job's work, counted. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    this.count += 1;
    try {
      return await work();
    } finally {
      this.count -= 1;
    }
  }

  /** Within run(): a wait on a service, not counted while it lasts. */
  async aside<T>(wait: () => Promise<T>): Promise<T> {
    this.count -= 1;
    try {
      return await wait();
    } finally {
      this.count += 1;
    }
  }
}
