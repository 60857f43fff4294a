/**
 * One test's history in SQL: its results page by page, counts per time bucket and per job,
 * failure rate and duration statistics. Every query is restricted to the test's own rows:
 * `test_daily`'s primary key and `test_results`' (test_id, run_id) index both start with it.
 *
 * Counts come from the `test_daily` rollup whenever the window is whole UTC days, and from
 * the results joined to their runs otherwise (hourly buckets, a window starting mid-day), so
 * either way a window holds exactly the results of runs with `since <= run_at < until`.
 */
import type { Knex } from '@mikro-orm/knex';
import type { Database } from '../db/orm.js';
import { decodeCursor, pageSize, toPage, type Page, type PageRequest } from '../db/page.js';
import {
  bucketStartMs,
  bytewise,
  dateBucketStartMs,
  epochMs,
  isNearestRank,
  timeParam,
  utcDay,
  type Resolution,
} from '../db/sql.js';
import { GatewatchError } from '../errors.js';
import { resultOf, resultsQuery } from '../runs/result.service.js';
import { sqlTestShares } from '../runs/rollups.js';
import { STATUSES_OF } from '../runs/outcome.js';
import { whereRuns } from '../runs/run-filter.js';
import type { RunFilter } from '../runs/run.type.js';
import { TestStatus, type TestResult } from '../runs/result.type.js';
import type { DurationStats, TestBucket, TestJob } from './test-history.type.js';
import { badCursor } from './test.service.js';

/** Which of a test's results: those of runs of `job` with `since <= run_at < until`. */
export interface TestWindow {
  since?: Date | null;
  until?: Date | null;
  job?: string | null;
}

export interface TestResultsFilter extends TestWindow {
  status?: TestStatus[] | null;
}

export const MAX_RECENT_FAILURES = 100;

const DAY_MS = 86_400_000;
const FAILING = STATUSES_OF.failing.map((status) => status as TestStatus);

/** Throws BAD_ARGUMENT unless the window makes sense. */
export function checkWindow(window: TestWindow): void {
  const { since, until, job } = window;
  if (since && until && since.getTime() >= until.getTime()) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `since (${since.toISOString()}) must be before until (${until.toISOString()})`,
    );
  }
  // Runs without a job are '' in the rollups but NULL in runs: no answer could agree.
  if (job === '') throw new GatewatchError('BAD_ARGUMENT', 'job must not be empty');
}

/** One test's results, newest run first (stream order within a run), one page. */
export async function testResults(
  db: Database,
  testRowId: number,
  filter: TestResultsFilter,
  args: PageRequest,
): Promise<Page<TestResult>> {
  checkWindow(filter);
  const size = pageSize(args);
  const after = decodeCursor(args.after);
  const filtered = (query: Knex.QueryBuilder) => {
    query.where('r.test_id', testRowId);
    if (filter.status?.length) query.whereIn('r.status', filter.status);
    return whereRuns(query, db.dialect, runFilterOf(filter), 'runs');
  };
  const query = filtered(resultsQuery(db.knex)).select(
    db.knex.raw(`${epochMs(db.dialect, 'runs.run_at')} as run_at_ms`),
  );
  if (after) {
    const [at, run, seq] = after;
    if (after.length !== 3) throw badCursor(args.after);
    const runAt = timeParam(db.dialect, new Date(Number(at)));
    query.where((q) =>
      q
        .where('runs.run_at', '<', runAt)
        .orWhere((same) =>
          same
            .where('runs.run_at', '=', runAt)
            .andWhere((older) =>
              older
                .where('r.run_id', '<', run!)
                .orWhere((q2) => q2.where('r.run_id', '=', run!).andWhere('r.seq', '>', seq!)),
            ),
        ),
    );
  }
  const rows: (Parameters<typeof resultOf>[0] & { run_at_ms: number | string })[] = await query
    .orderBy([
      { column: 'runs.run_at', order: 'desc' },
      { column: 'r.run_id', order: 'desc' },
      { column: 'r.seq', order: 'asc' },
    ])
    .limit(size + 1);
  return toPage(
    rows,
    size,
    (row) => [Number(row.run_at_ms), row.run_id, row.seq],
    resultOf,
    async () => {
      const counted = filtered(
        db.knex('test_results as r').join('runs', 'runs.id', 'r.run_id').count({ n: '*' }),
      );
      const [{ n }] = await counted;
      return Number(n);
    },
  );
}

/** The test's newest failing (fail, uxsuccess) results; `limit` is 1…100. */
export async function recentFailures(
  db: Database,
  testRowId: number,
  limit: number,
  job: string | null | undefined,
): Promise<TestResult[]> {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RECENT_FAILURES) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `limit must be 1…${MAX_RECENT_FAILURES}, got ${limit}`,
    );
  }
  const page = await testResults(db, testRowId, { status: FAILING, job }, { first: limit });
  return page.nodes;
}

/** The test's results counted per bucket, oldest first; buckets without results are left out. */
export async function testHistory(
  db: Database,
  testRowId: number,
  resolution: Resolution,
  window: TestWindow,
): Promise<TestBucket[]> {
  checkWindow(window);
  const rows = await sums(db, testRowId, window, resolution);
  return rows.map((row) => ({ start: new Date(Number(row.bucket)), ...countsOf(row) }));
}

/** failures / (successes + failures) over the window; null when there are neither. */
export async function testFailureRate(
  db: Database,
  testRowId: number,
  window: TestWindow,
): Promise<number | null> {
  checkWindow(window);
  const [row] = await sums(db, testRowId, window, null);
  return row ? countsOf(row).failureRate : null;
}

/** The jobs the test ran in, by name (runs without a job first, as `name: null`). */
export async function testJobs(db: Database, testRowId: number): Promise<TestJob[]> {
  const rows: (SumsRow & { build_name: string })[] = await db
    .knex('test_daily as d')
    .select('d.build_name', db.knex.raw(ROLLUP_SUMS))
    .where('d.test_id', testRowId)
    .groupBy('d.build_name')
    .orderByRaw(bytewise(db.dialect, 'd.build_name'));
  return rows.map((row) => {
    const { runs, successes, failures, skips, failureRate } = countsOf(row);
    const name = row.build_name === '' ? null : row.build_name;
    return { name, runs, successes, failures, skips, failureRate };
  });
}

/**
 * Count, mean, extremes and nearest-rank percentiles of the durations of the test's `success`
 * results in the window (nearest rank: {@link isNearestRank}).
 */
export async function testDurationStats(
  db: Database,
  testRowId: number,
  window: TestWindow,
): Promise<DurationStats> {
  checkWindow(window);
  const { knex } = db;
  const ranked = whereRuns(
    knex('test_results as r')
      .join('runs', 'runs.id', 'r.run_id')
      .select(
        'r.duration as d',
        knex.raw('row_number() over (order by r.duration) as k'),
        knex.raw('count(*) over () as n'),
      )
      .where('r.test_id', testRowId)
      .where('r.status', TestStatus.SUCCESS)
      .whereNotNull('r.duration'),
    db.dialect,
    runFilterOf(window),
    'runs',
  );
  const rank = (p: number) => `max(case when ${isNearestRank(p)} then d end)`;
  const [row] = (await knex
    .from(ranked.as('t'))
    .select(
      knex.raw(
        `count(*) as count, avg(d) as mean, min(d) as min, max(d) as max, ${rank(50)} as p50, ${rank(95)} as p95`,
      ),
    )) as Record<'count' | 'mean' | 'min' | 'max' | 'p50' | 'p95', number | string | null>[];
  const num = (v: number | string | null | undefined) =>
    v === null || v === undefined ? null : Number(v);
  return {
    count: Number(row?.count ?? 0),
    mean: num(row?.mean),
    min: num(row?.min),
    max: num(row?.max),
    p50: num(row?.p50),
    p95: num(row?.p95),
  };
}

/** Sums of results, per bucket when `bucket` is set; MySQL returns sums as decimal strings. */
interface SumsRow {
  bucket?: number | string;
  runs: number | string | null;
  successes: number | string | null;
  failures: number | string | null;
  skips: number | string | null;
  success_us: number | string | null;
}

const ROLLUP_SUMS = [
  'sum(d.runs) as runs',
  'sum(d.successes) as successes',
  'sum(d.failures) as failures',
  'sum(d.skips) as skips',
  'sum(d.success_us) as success_us',
].join(', ');

/** The same sums as the rollup keeps, over results. */
const RESULT_SUMS = sqlTestShares('r');

/** The window's sums, per bucket (oldest first) or, without a resolution, in one row. */
function sums(
  db: Database,
  testRowId: number,
  window: TestWindow,
  resolution: Resolution | null,
): Promise<SumsRow[]> {
  const { knex, dialect } = db;
  const wholeDays = [window.since, window.until].every((t) => !t || t.getTime() % DAY_MS === 0);
  let query: Knex.QueryBuilder;
  let bucket: string | null = null;
  if (resolution !== 'hour' && wholeDays) {
    query = knex('test_daily as d').select(knex.raw(ROLLUP_SUMS)).where('d.test_id', testRowId);
    if (window.job) query.where('d.build_name', window.job);
    if (window.since) query.where('d.day', '>=', utcDay(window.since));
    if (window.until) query.where('d.day', '<', utcDay(window.until));
    if (resolution) bucket = dateBucketStartMs(dialect, 'd.day', resolution);
  } else {
    query = whereRuns(
      knex('test_results as r')
        .join('runs', 'runs.id', 'r.run_id')
        .select(knex.raw(RESULT_SUMS))
        .where('r.test_id', testRowId),
      dialect,
      runFilterOf(window),
      'runs',
    );
    if (resolution) bucket = bucketStartMs(dialect, 'runs.run_at', resolution);
  }
  if (bucket)
    query
      .select(knex.raw(`${bucket} as bucket`))
      .groupByRaw(bucket)
      .orderBy('bucket');
  return query;
}

/** The window as the run filter every query over runs applies (only its own fields). */
function runFilterOf({ since, until, job }: TestWindow): RunFilter {
  return { since: since ?? undefined, until: until ?? undefined, job: job ?? undefined };
}

function countsOf(row: SumsRow): Omit<TestBucket, 'start'> {
  const successes = Number(row.successes ?? 0);
  const failures = Number(row.failures ?? 0);
  const decided = successes + failures;
  return {
    runs: Number(row.runs ?? 0),
    successes,
    failures,
    skips: Number(row.skips ?? 0),
    failureRate: decided === 0 ? null : failures / decided,
    meanDuration: successes === 0 ? null : Number(row.success_us ?? 0) / 1e6 / successes,
  };
}
