/** Reads about jobs: the list, rolling run times, per-test figures and recent failures. */
import type { Knex } from '@mikro-orm/knex';
import type { Database } from '../db/orm.js';
import { decodeOffset, pageSize, toPage, type Page, type PageRequest } from '../db/page.js';
import { bytewise, timeParam, utcDay } from '../db/sql.js';
import { checkPatternInDatabase, checkTestIdFilter, whereTestId } from '../db/test-id-filter.js';
import { naturalDirection, orderOfTests, type TestsOrder } from '../db/test-ranking.js';
import { failingResults, sqlResultIs, sqlRunIs } from '../runs/outcome.js';
import { resultOf, RESULT_COLUMNS } from '../runs/result.service.js';
import { listRuns, runOf, type RunRow } from '../runs/run.service.js';
import { RunStatus, type Run, type RunFilter } from '../runs/run.type.js';
import { checkTracebackSearch, whereTracebackHolds } from '../tests/traceback-search.js';
import type { TestFilter } from '../tests/test.type.js';
import type { FailedTest, JobTest, RunTimePoint } from './job.type.js';
import {
  checkRange,
  checkWindow,
  groupedRuns,
  pageOfGroups,
  rateOf,
  runTotals,
  type GroupTotals,
  type RunGrouping,
  type RunTotals,
  type TimeWindow,
} from './series.service.js';

const MAX_LAST_RUNS = 100;
const MAX_ROLLING_WINDOW = 1000;

/** Jobs with runs in the window, by name, with their totals there; one keyset page. */
export function pageOfJobs<T>(
  db: Database,
  filter: TimeWindow & { nameContains?: string | null },
  page: PageRequest,
  nodesOf: (jobs: GroupTotals[]) => T[],
): Promise<Page<T>> {
  checkWindow(filter);
  return pageOfGroups(db, windowFilter(filter), { by: 'job' }, page, nodesOf, filter.nameContains);
}

/** Totals of the named jobs over a window, by job; jobs without runs there are absent. */
export function jobTotals(
  db: Database,
  window: TimeWindow,
  names: readonly string[],
): Promise<Map<string | null, RunTotals>> {
  return runTotals(db, windowFilter(window), { by: 'job' }, names);
}

/** A window as a RunFilter (GraphQL may hand over explicit nulls). */
export function windowFilter(window: TimeWindow): RunFilter {
  return { since: window.since ?? undefined, until: window.until ?? undefined };
}

interface RollingRow extends RunRow {
  samples: number | string;
  rolling_mean: number | string;
  rolling_square: number | string;
}

/**
 * Each run of the job in the window that has a wall time, oldest first, with the rolling
 * mean and population standard deviation of its last `size` such runs, computed with SQL
 * window functions. The rolling window reaches back before `since`, so the first points
 * of a window are as informed as the others.
 */
export async function runTimes(
  db: Database,
  job: string,
  window: TimeWindow,
  size: number,
): Promise<RunTimePoint[]> {
  checkRange('window', size, 1, MAX_ROLLING_WINDOW);
  checkWindow(window);
  const { knex, dialect } = db;
  // `size` is a checked integer: frame bounds cannot be bound parameters on every driver.
  const frame = `over (order by runs.run_at, runs.id rows between ${size - 1} preceding and current row)`;
  const rolling = knex('runs')
    .select(
      'runs.*',
      knex.raw(
        `count(*) ${frame} as samples, avg(runs.wall_time) ${frame} as rolling_mean, ` +
          `avg(runs.wall_time * runs.wall_time) ${frame} as rolling_square`,
      ),
    )
    .where('runs.build_name', job)
    .whereNotNull('runs.wall_time');
  if (window.until) rolling.where('runs.run_at', '<', timeParam(dialect, window.until));
  const query = knex.from(rolling.as('t')).select('t.*');
  if (window.since) query.where('t.run_at', '>=', timeParam(dialect, window.since));
  const rows = (await query.orderBy(['t.run_at', 't.id'])) as RollingRow[];
  return rows.map((row) => {
    const run = runOf(row);
    const mean = Number(row.rolling_mean);
    // E[x²] − E[x]² can dip below zero by rounding when every sample is equal.
    const stdDev = Math.sqrt(Math.max(0, Number(row.rolling_square) - mean * mean));
    return {
      run,
      runAt: run.runAt,
      wallTime: run.wallTime!,
      samples: Number(row.samples),
      rollingMean: mean,
      rollingStdDev: stdDev,
      upper: mean + 2 * stdDev,
      lower: mean - 2 * stdDev,
    };
  });
}

interface JobTestRow {
  test_id: number;
  runs: number | string;
  successes: number | string;
  failures: number | string;
  skips: number | string;
  success_us: number | string;
}

/**
 * The job's tests matching the filter, with their results summed over the UTC days that
 * overlap the window (the daily rollups are the only source that stays fast at millions of
 * results), ranked, one page. The ranking is computed in full for any page, so the cursor is
 * an offset: a keyset over floating-point aggregates could skip or repeat rows.
 */
export async function jobTests(
  db: Database,
  job: string,
  window: TimeWindow,
  filter: TestFilter | undefined,
  page: PageRequest,
  order: TestsOrder,
): Promise<Page<JobTest>> {
  checkWindow(window);
  checkTestIdFilter(filter);
  checkTracebackSearch(filter?.tracebackContains);
  await checkPatternInDatabase(db, filter);
  const size = pageSize(page);
  const offset = decodeOffset(page.after);
  const { knex } = db;
  const perTest = knex('test_daily as td')
    .select(
      'td.test_id',
      knex.raw(
        'sum(td.runs) as runs, sum(td.successes) as successes, sum(td.failures) as failures, ' +
          'sum(td.skips) as skips, sum(td.success_us) as success_us',
      ),
    )
    .where('td.build_name', job)
    .groupBy('td.test_id');
  if (window.since) perTest.where('td.day', '>=', utcDay(window.since));
  if (window.until) perTest.where('td.day', '<=', utcDay(new Date(window.until.getTime() - 1)));
  // Test ids match and sort byte by byte, as `tests` does.
  const matching = () =>
    whereTracebackHolds(
      whereTestId(
        knex.from(perTest.clone().as('a')).join('tests as t', 't.id', 'a.test_id'),
        db.dialect,
        't.test_id',
        filter,
      ),
      db,
      't.id',
      filter?.tracebackContains,
      job,
    );
  const direction = order.direction ?? naturalDirection(order.rank);
  // The ranking aggregates every test anyway: counting them in the same pass spares the
  // total its own aggregation.
  const rows = (await matching()
    .select('a.*', knex.raw('count(*) over () as total'))
    .orderByRaw(orderOfTests(db.dialect, order.rank, direction, 'a', 't.test_id'))
    .limit(size + 1)
    .offset(offset)) as (JobTestRow & { total: number | string })[];
  return toPage(
    rows.map((row, i) => ({ row, at: offset + i + 1 })),
    size,
    ({ at }) => [at],
    ({ row }) => jobTestOf(row),
    async () => {
      if (rows[0]) return Number(rows[0].total);
      const [row] = (await matching().count({ n: '*' })) as { n: number | string }[];
      return Number(row?.n ?? 0);
    },
  );
}

function jobTestOf(row: JobTestRow): JobTest {
  const passes = Number(row.successes);
  const failures = Number(row.failures);
  return {
    testRowId: row.test_id,
    runs: Number(row.runs),
    passes,
    failures,
    skips: Number(row.skips),
    failureRate: rateOf(failures, passes),
    meanDuration: passes === 0 ? null : Number(row.success_us) / 1e6 / passes,
  };
}

type ResultRow = Parameters<typeof resultOf>[0];

/**
 * The tests that failed in the `lastRuns` newest failed runs matching the filter: how many
 * of those runs each failed in and its newest failing result, most failures first, then
 * the most recently failed, then by test id. Reads only those runs' results.
 */
export async function failedTests(
  db: Database,
  filter: RunFilter | undefined,
  lastRuns: number,
): Promise<FailedTest[]> {
  const found = await failedTestsBy(db, filter, { by: 'nothing' }, lastRuns);
  return found.get(null) ?? [];
}

/**
 * `failedTests` of every group at once (a page of groups asks in one query): each group's
 * `lastRuns` newest failed runs, keyed by group value; `values` restricts the groups.
 */
export async function failedTestsBy(
  db: Database,
  filter: RunFilter | undefined,
  grouping: RunGrouping,
  lastRuns: number,
  values?: readonly string[],
): Promise<Map<string | null, FailedTest[]>> {
  checkRange('lastRuns', lastRuns, 1, MAX_LAST_RUNS);
  checkWindow(filter ?? {});
  const { knex, dialect } = db;
  const { query: runs, value } = groupedRuns(db, filter, grouping);
  if (value !== null && values) runs.whereIn(value.column, values);
  const group = value === null ? '' : `partition by ${value.key} `;
  const ranked = runs
    .select(
      'runs.id',
      'runs.run_at',
      knex.raw(value === null ? 'null as grp' : `${value.column} as grp`),
      knex.raw(`row_number() over (${group}order by runs.run_at desc, runs.id desc) as nth_run`),
    )
    .whereRaw(sqlRunIs(RunStatus.FAILED));
  const recent = knex('ranked').select('id', 'run_at', 'grp').where('nth_run', '<=', lastRuns);
  // One pass over those runs' results (MySQL would read a CTE named twice twice): each
  // failing result is numbered within its group and test, 1 being the newest, and its run
  // ranked among the test's runs there, the highest rank being how many runs it failed in.
  // CROSS JOIN fixes the join order on SQLite (MySQL reads it as an inner join): otherwise
  // it may walk every result (in test order, to spare a sort) and probe the few it needs.
  const byTest = `partition by ${value === null ? '' : `${bytewise(dialect, 'recent.grp')}, `}r.test_id`;
  const failing = knex('recent')
    .crossJoin('test_results as r', 'r.run_id', 'recent.id')
    .whereRaw(sqlResultIs('failing', 'r.status'))
    .select(
      'recent.grp',
      'r.test_id',
      'r.run_id',
      'r.seq',
      'recent.run_at',
      knex.raw(
        `row_number() over (${byTest} order by recent.run_at desc, r.run_id desc, r.seq desc) as nth, ` +
          `dense_rank() over (${byTest} order by r.run_id) as run_rank`,
      ),
    );
  const counted = knex('failing').select(
    'failing.*',
    knex.raw(
      `max(run_rank) over (partition by ${value === null ? '' : `${bytewise(dialect, 'grp')}, `}test_id) as failures`,
    ),
  );
  const rows = (await knex
    .with('ranked', ranked)
    .with('recent', recent)
    .with('failing', failing)
    .with('counted', counted)
    .from('counted as f')
    .crossJoin('test_results as r', (on) =>
      on.on('r.run_id', '=', 'f.run_id').andOn('r.seq', '=', 'f.seq'),
    )
    .join('runs', 'runs.id', 'r.run_id')
    .join('tests', 'tests.id', 'r.test_id')
    .where('f.nth', 1)
    .select([...RESULT_COLUMNS, 'f.failures', 'f.grp'])
    .orderBy([
      { column: 'f.failures', order: 'desc' },
      { column: 'f.run_at', order: 'desc' },
      { column: 'f.run_id', order: 'desc' },
    ])
    .orderByRaw(bytewise(dialect, 'tests.test_id'))) as (ResultRow & {
    failures: number | string;
    grp: string | null;
  })[];
  const found = new Map<string | null, FailedTest[]>();
  for (const row of rows) {
    const tests = found.get(row.grp) ?? [];
    if (tests.length === 0) found.set(row.grp, tests);
    tests.push({
      testRowId: row.test_row_id,
      failures: Number(row.failures),
      lastFailure: resultOf(row),
    });
  }
  return found;
}

/** A failed run of a job and (the first of) the tests that failed in it. */
export interface JobFailure {
  run: Run;
  /** Test ids of its first `perRun` failing results, in stream order, without repeats. */
  testIds: string[];
  /** Failing results beyond those listed. */
  more: number;
}

/**
 * The job's newest failed runs, newest first, each with its failing tests (at most
 * `perRun` results read per run); null when no run has that job. `newestRunAt` is the
 * job's newest run of any status.
 */
export async function jobFailures(
  db: Database,
  job: string,
  limit: number,
  perRun: number,
): Promise<{ newestRunAt: Date; failures: JobFailure[] } | null> {
  const totals = await runTotals(db, { job }, { by: 'nothing' });
  const newestRunAt = totals.get(null)?.lastRunAt;
  if (!newestRunAt) return null;
  const { nodes: runs } = await listRuns(db, { job, status: RunStatus.FAILED }, { first: limit });
  const failing = (await firstFailing(db.knex, runs, perRun)) as {
    run_id: number;
    test_id: string;
  }[];
  const byRun = new Map<number, string[]>(runs.map((run) => [run.rowId, []]));
  for (const row of failing) byRun.get(row.run_id)?.push(row.test_id);
  return {
    newestRunAt,
    failures: runs.map((run) => {
      const listed = byRun.get(run.rowId) ?? [];
      return {
        run,
        testIds: [...new Set(listed)],
        more: Math.max(0, failingResults(run) - listed.length),
      };
    }),
  };
}

/** The first `perRun` failing results of each run, as (run row id, test id). */
function firstFailing(knex: Knex, runs: Run[], perRun: number): Knex.QueryBuilder {
  const numbered = knex('test_results as r')
    .join('tests', 'tests.id', 'r.test_id')
    .select(
      'r.run_id',
      'tests.test_id',
      knex.raw('row_number() over (partition by r.run_id order by r.seq) as nth'),
    )
    .whereIn(
      'r.run_id',
      runs.map((run) => run.rowId),
    )
    .whereRaw(sqlResultIs('failing', 'r.status'));
  return knex
    .from(numbered.as('x'))
    .select('x.run_id', 'x.test_id')
    .where('x.nth', '<=', perRun)
    .orderBy(['x.run_id', 'x.nth']);
}
