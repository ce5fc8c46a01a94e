// COPY of a file's resolved values into core.staged_value, each value straight into its year's
// partition. A value of a year without a staging partition would land in the default partition,
// and the load would then move every such row (3.6 s for 1,000,000 rows, under a lock that holds
// every other load back). So the COPY stops before the first value of such a year, the year's
// staging partition is made (migration 010), and a new COPY carries on from that value: one
// COPY for a ward's monthly file, at most one more per new year for a department's history.
import type { Database } from '../db/connect.js';
import { runSql } from '../db/sql-file.js';
import { STAGED_COLUMNS, stagedRow, type StagedValue } from './staged-value.js';

// Years known to have a staging partition, per database, for the life of the process: partitions
// are only ever added. One that an operator detached is harmless: its rows wait in the default
// partition and the load moves them, as before migration 010.
const partitionedYears = new WeakMap<Database, Set<number>>();

const yearOf = (value: StagedValue) => Number(value.periodCode.slice(0, 4));

/**
 * Stages `values` for `submissionId`; returns how many. With `makePartitions: false` (a dry run
 * that must leave the schema as it is), values of a new year go to the default partition.
 */
export async function stageValues(
  database: Database,
  submissionId: string,
  values: AsyncIterable<StagedValue>,
  options: { makePartitions: boolean },
): Promise<number> {
  if (!options.makePartitions) {
    return database.copyInto('core.staged_value', STAGED_COLUMNS, rowsOf(submissionId, values));
  }
  const known = partitionedYears.get(database) ?? new Set<number>();
  partitionedYears.set(database, known);
  const source = values[Symbol.asyncIterator]();
  // The value that ended the last COPY: the first of a year that had no partition.
  let carried: StagedValue | undefined;
  let staged = 0;
  try {
    for (;;) {
      const first = carried ?? (await nextValue(source));
      carried = undefined;
      if (!first) return staged;
      const year = yearOf(first);
      if (!known.has(year)) {
        await runSql(database.db, 'ensure_staging_partitions', [[year]]);
        known.add(year);
      }
      async function* segment(opening: StagedValue) {
        yield stagedRow(submissionId, opening);
        for (let value = await nextValue(source); value; value = await nextValue(source)) {
          if (!known.has(yearOf(value))) {
            carried = value;
            return;
          }
          yield stagedRow(submissionId, value);
        }
      }
      staged += await database.copyInto('core.staged_value', STAGED_COLUMNS, segment(first));
    }
  } finally {
    // A failed COPY must still close the file behind the values.
    await source.return?.();
  }
}

async function nextValue(source: AsyncIterator<StagedValue>): Promise<StagedValue | undefined> {
  const step = await source.next();
  return step.done ? undefined : step.value;
}

async function* rowsOf(submissionId: string, values: AsyncIterable<StagedValue>) {
  for await (const value of values) yield stagedRow(submissionId, value);
}
