/**
 * The aggregates a run adds to: each test's running totals (`tests`) and the daily rollups
 * per test and job (`test_daily`) and per job (`job_daily`). Ingest adds a run (+1) and
 * `deleteRun` takes it back out (−1) through the one function here, so the two cannot drift.
 */
import type { BulkWriter } from '../db/bulk.js';
import { utcDay } from '../db/sql.js';
import { runStatusOf, sqlResultIs, type RunStatusCounts } from './outcome.js';
import { RunStatus } from './run.type.js';

/** One test's share of a run, as its aggregates count it. */
export interface TestShare {
  /** The `tests` row id. */
  id: number;
  /** Results (attempts). */
  runs: number;
  /** Passing results (success + xfail). */
  successes: number;
  /** Failing results (fail + uxsuccess). */
  failures: number;
  skips: number;
  /** Seconds over `success` results. */
  successTime: number;
}

/** What of a run its job's rollup counts. */
export interface RollupRun {
  /** The job; runs without one have no `job_daily` share (their tests' rows use ''). */
  buildName: string | null;
  runAt: Date;
  counts: RunStatusCounts;
  /** Seconds; null counts as 0. */
  wallTime: number | null;
}

/**
 * SQL sums of a run's results (in `results`) as {@link TestShare} counts them; group by
 * test id to get the shares.
 */
export function sqlTestShares(results: string): string {
  return [
    'count(*) as runs',
    `sum(case when ${sqlResultIs('passing', `${results}.status`)} then 1 else 0 end) as successes`,
    `sum(case when ${sqlResultIs('failing', `${results}.status`)} then 1 else 0 end) as failures`,
    `sum(case when ${sqlResultIs('skipped', `${results}.status`)} then 1 else 0 end) as skips`,
    `sum(case when ${results}.status = 'success' then coalesce(${results}.duration, 0) else 0 end) as success_time`,
  ].join(', ');
}

const TEST_COUNTERS = ['runs', 'successes', 'failures', 'skips', 'success_time'];
const JOB_COUNTERS = ['runs', 'passed_runs', 'failed_runs', 'skipped_runs', 'wall_time'];

/**
 * Adds the run (`sign` 1) to, or takes it out of (`sign` −1), its tests' aggregates and the
 * daily rollups. Upserts go in key order so that concurrent writers of runs sharing tests
 * wait for each other instead of deadlocking. Every `tests` row exists already (ingest
 * registers test ids first), as every rollup row does when a run is taken out.
 */
export async function applyRun(
  bulk: BulkWriter,
  run: RollupRun,
  perTest: readonly TestShare[],
  sign: 1 | -1,
): Promise<void> {
  const shares = [...perTest].sort((a, b) => a.id - b.id);
  const day = utcDay(run.runAt);
  const counters = (t: TestShare) =>
    [t.runs, t.successes, t.failures, t.skips, t.successTime].map((n) => sign * n);
  // MySQL upserts need a value for every NOT NULL column; the existing row keeps its own.
  await bulk.addTo(
    'tests',
    ['id', 'hash', 'test_id', ...TEST_COUNTERS],
    ['id'],
    TEST_COUNTERS,
    shares.map((t) => [t.id, '', '', ...counters(t)]),
    { rowsExist: true },
  );
  await bulk.addTo(
    'test_daily',
    ['test_id', 'build_name', 'day', ...TEST_COUNTERS],
    ['test_id', 'build_name', 'day'],
    TEST_COUNTERS,
    shares.map((t) => [t.id, run.buildName ?? '', day, ...counters(t)]),
    { rowsExist: sign < 0 },
  );
  if (run.buildName === null) return;
  const status = runStatusOf(run.counts);
  const jobCounters = [
    1,
    Number(status === RunStatus.PASSED),
    Number(status === RunStatus.FAILED),
    Number(status === RunStatus.SKIPPED),
    run.wallTime ?? 0,
  ].map((n) => sign * n);
  await bulk.addTo(
    'job_daily',
    ['build_name', 'day', ...JOB_COUNTERS],
    ['build_name', 'day'],
    JOB_COUNTERS,
    [[run.buildName, day, ...jobCounters]],
    { rowsExist: sign < 0 },
  );
}
