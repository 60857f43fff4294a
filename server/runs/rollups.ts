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
  /** The test's hash and id, so that its catalogue row can be written whole. */
  hash: string;
  testId: string;
  /** Results (attempts). */
  runs: number;
  /** Passing results (success + xfail). */
  successes: number;
  /** Failing results (fail + uxsuccess). */
  failures: number;
  skips: number;
  /** Whole microseconds over `success` results (see {@link microseconds}). */
  successUs: number;
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
 * A duration in seconds as the whole microseconds the sums count. Integers, so that taking a
 * run out restores every sum bit for bit (floating-point sums would keep a residue).
 */
export function microseconds(seconds: number | null): number {
  return seconds === null ? 0 : Math.round(seconds * 1e6);
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
    // round() as microseconds() does: both engines round half away from zero.
    `sum(case when ${results}.status = 'success' then round(coalesce(${results}.duration, 0) * 1000000) else 0 end) as success_us`,
  ].join(', ');
}

const TEST_COUNTERS = ['runs', 'successes', 'failures', 'skips', 'success_us'];
const JOB_COUNTERS = ['runs', 'passed_runs', 'failed_runs', 'skipped_runs', 'wall_us'];

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
    [t.runs, t.successes, t.failures, t.skips, t.successUs].map((n) => sign * n);
  // MySQL upserts write the whole row: if a deleteRun removed a test left without results
  // after this ingest registered it (outside its transaction), the row comes back as it was.
  await bulk.addTo(
    'tests',
    ['id', 'hash', 'test_id', ...TEST_COUNTERS],
    ['id'],
    TEST_COUNTERS,
    shares.map((t) => [t.id, t.hash, t.testId, ...counters(t)]),
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
    microseconds(run.wallTime),
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
