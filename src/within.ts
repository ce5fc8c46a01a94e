// A hung server (Redis cut off, Postgres not answering) makes a check or hand-off fail after a
// time limit instead of waiting without end.

/** work, or a rejection once ms have passed without an answer. */
export async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
