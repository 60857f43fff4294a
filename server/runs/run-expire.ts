/**
 * Retention of runs (`gatewatch expire`, `serve --expire`): runs go one transaction each,
 * through {@link deleteRun} (the one place a run is removed, its aggregates taken back out
 * exactly), a batch at a time with a pause between batches. One run per transaction holds the
 * write lock (SQLite's file, MySQL's rows of its tests) only as long as that run's delete; a
 * server's reads and ingests get their turn between runs, and between batches.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../db/orm.js';
import { toDate } from '../db/sql.js';
import { deleteRun } from './run-delete.js';

/** How fast runs go. */
export interface ExpiryPace {
  /** Runs deleted between two pauses. */
  readonly batchSize: number;
  /** Milliseconds of pause between batches. */
  readonly pauseMs: number;
}

/** A run that goes (or would go, in a dry run). */
export interface ExpiringRun {
  /** The row id. */
  readonly rowId: number;
  readonly id: string;
  readonly runAt: Date;
  readonly job: string | null;
  /** Its test results. */
  readonly tests: number;
}

/** What went: runs, and their test results. */
export interface Expired {
  readonly runs: number;
  readonly results: number;
}

export interface ExpiryOptions {
  /** Called after each run deleted (or found gone: another process took it). */
  readonly onRun?: (run: ExpiringRun, deleted: boolean) => void;
  /** Stops between runs (a server shutting down); what went is reported. */
  readonly signal?: AbortSignal;
}

/** The runs that ran (their first test started) before `cutoff`, by row id, after `afterRowId`. */
export async function runsBefore(
  db: Database,
  cutoff: Date,
  limit: number,
  afterRowId = 0,
): Promise<ExpiringRun[]> {
  const rows: Record<string, unknown>[] = await db
    .knex('runs')
    .where('run_at', '<', cutoff)
    .andWhere('id', '>', afterRowId)
    .orderBy('id')
    .limit(limit)
    .select('id', 'uuid', 'run_at', 'build_name', 'tests');
  return rows.map((row) => ({
    rowId: Number(row.id),
    id: String(row.uuid),
    runAt: toDate(row.run_at as Date | number | string),
    job: row.build_name === null ? null : String(row.build_name),
    tests: Number(row.tests),
  }));
}

/** How many runs ran before `cutoff`, and their results. */
export async function countRunsBefore(db: Database, cutoff: Date): Promise<Expired> {
  const [row] = await db
    .knex('runs')
    .where('run_at', '<', cutoff)
    .select(db.knex.raw('count(*) as runs'), db.knex.raw('coalesce(sum(tests), 0) as results'));
  return { runs: Number(row?.runs ?? 0), results: Number(row?.results ?? 0) };
}

/** Deletes the runs that ran before `cutoff`, batch by batch (keyset over the row ids). */
export async function expireRunsBefore(
  db: Database,
  cutoff: Date,
  pace: ExpiryPace,
  options: ExpiryOptions = {},
): Promise<Expired> {
  let total: Expired = { runs: 0, results: 0 };
  let after = 0;
  for (;;) {
    const batch = await runsBefore(db, cutoff, pace.batchSize, after);
    total = add(total, await deleteBatch(db, batch, options));
    if (batch.length < pace.batchSize || options.signal?.aborted) return total;
    after = batch.at(-1)!.rowId;
    if (!(await pause(pace.pauseMs, options.signal))) return total;
  }
}

/** Deletes the given runs, `pace.batchSize` at a time with the pause between batches. */
export async function expireRuns(
  db: Database,
  runs: readonly ExpiringRun[],
  pace: ExpiryPace,
  options: ExpiryOptions = {},
): Promise<Expired> {
  let total: Expired = { runs: 0, results: 0 };
  for (let i = 0; i < runs.length; i += pace.batchSize) {
    if (i > 0 && !(await pause(pace.pauseMs, options.signal))) break;
    total = add(total, await deleteBatch(db, runs.slice(i, i + pace.batchSize), options));
    if (options.signal?.aborted) break;
  }
  return total;
}

async function deleteBatch(
  db: Database,
  runs: readonly ExpiringRun[],
  options: ExpiryOptions,
): Promise<Expired> {
  let total: Expired = { runs: 0, results: 0 };
  for (const run of runs) {
    if (options.signal?.aborted) break;
    const deleted = await withLockRetries(() => deleteRun(db, run.rowId));
    if (deleted) total = add(total, { runs: 1, results: run.tests });
    options.onRun?.(run, deleted);
  }
  return total;
}

function add(a: Expired, b: Expired): Expired {
  return { runs: a.runs + b.runs, results: a.results + b.results };
}

/** Resolves to false when aborted during the pause. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return false;
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/** Attempts of one run's delete that lost a lock race before its error is let through. */
const LOCK_ATTEMPTS = 10;

/**
 * Runs `task` again when MySQL gave up on a lock (a deadlock or a lock-wait time-out: two
 * servers expiring runs that share tests); the transaction was rolled back whole, so trying
 * again is safe. SQLite's refusals are not retried: libsql waits for no lock (its calls block
 * the process) and its connection stays refused after one, so the error is let through.
 */
async function withLockRetries<T>(task: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await task();
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      const lostLock = code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT';
      if (attempt >= LOCK_ATTEMPTS || !lostLock) throw error;
      // At random within a growing span: two processes that collided do not collide again.
      await sleep(Math.random() * Math.min(2000, 25 * 2 ** attempt));
    }
  }
}
