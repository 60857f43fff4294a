/**
 * Test timings: how long each test takes when it passes, for schedulers (`gatewatch timings`,
 * a stream `stestr load` takes) and for people (`testTimings`, with percentiles). Durations
 * are those of `success` results; windows are bounded by `timings.maxWindow`.
 */
import type { Knex } from '@mikro-orm/knex';
import type { Database } from '../../db/orm.js';
import { decodeCursor, pageSize, toPage, type Page, type PageRequest } from '../../db/page.js';
import { bytewise, isNearestRank, timeParam } from '../../db/sql.js';
import { checkTestIdFilter, whereTestId } from '../../db/test-id-filter.js';
import { GatewatchError } from '../../errors.js';
import { badCursor } from '../../tests/test.service.js';
import type { TestTiming } from './timings.type.js';

/** Which results a timing covers. */
export interface TimingsFilter {
  /** Only runs of this job (`build_name`). */
  job?: string | null;
  /** Only runs at or after this instant; none: every run (the running aggregates). */
  since?: Date | null;
  testIdPrefix?: string | null;
}

/** The bounds of the `timings` settings section. */
export interface TimingsLimits {
  /** Milliseconds: the window read when no `since` is given (GraphQL). */
  window: number;
  /** Milliseconds: the longest window. */
  maxWindow: number;
}

/** A test's mean successful duration, in whole microseconds (what stestr reads back). */
export interface MeanDuration {
  testId: string;
  meanUs: number;
}

/**
 * Every test's mean successful duration, slowest first (then by id), at most `limit`; `cut`
 * tells that more tests had one. Without `since` it is the running aggregates' mean
 * (`success_us / successes`: the tests catalogue, or the daily rollup of `job`) and reads no
 * results; with `since`, the mean over the `success` results of the window that have a
 * duration. Tests whose successes have no duration are left out.
 */
export async function meanDurations(
  db: Database,
  filter: TimingsFilter,
  limits: TimingsLimits,
  limit: number,
): Promise<{ tests: MeanDuration[]; cut: boolean }> {
  checkFilter(filter, limits, new Date());
  const { knex } = db;
  const mean = 'sum_us * 1e0 / n';
  let sums: Knex.QueryBuilder;
  if (filter.since) {
    sums = successfulResults(db, filter)
      .groupBy('r.test_id')
      .select(
        'r.test_id',
        knex.raw('count(*) as n'),
        knex.raw('sum(round(r.duration * 1000000)) as sum_us'),
      );
  } else if (filter.job) {
    sums = knex('test_daily as d')
      .where('d.build_name', filter.job)
      .groupBy('d.test_id')
      .select(
        'd.test_id',
        knex.raw('sum(d.successes) as n'),
        knex.raw('sum(d.success_us) as sum_us'),
      );
  } else {
    sums = knex('tests').select('id as test_id', 'successes as n', 'success_us as sum_us');
  }
  const rows: { test_id: string; n: number | string; sum_us: number | string }[] = await knex
    .from(sums.as('s'))
    .join('tests as t', 't.id', 's.test_id')
    .where('s.n', '>', 0)
    .where('s.sum_us', '>', 0)
    .select('t.test_id', 's.n', 's.sum_us')
    .orderByRaw(`${mean} desc, ${bytewise(db.dialect, 't.test_id')}`)
    .limit(limit + 1);
  return {
    tests: rows.slice(0, limit).map((row) => ({
      testId: row.test_id,
      meanUs: Math.round(Number(row.sum_us) / Number(row.n)),
    })),
    cut: rows.length > limit,
  };
}

/**
 * Count, mean, median and 95th percentile (nearest rank, {@link isNearestRank}) of each
 * test's successful durations in the window (default: the last `limits.window`, at most
 * `limits.maxWindow`), by test id in byte order, one page.
 */
export async function testTimings(
  db: Database,
  filter: TimingsFilter,
  limits: TimingsLimits,
  args: PageRequest,
): Promise<Page<TestTiming>> {
  const now = new Date();
  // A default window longer than the longest allowed is cut to it, not refused.
  const back = Math.min(limits.window, limits.maxWindow);
  const window = { ...filter, since: filter.since ?? new Date(now.getTime() - back) };
  checkFilter(window, limits, now);
  const size = pageSize(args);
  const after = decodeCursor(args.after);
  if (after && (after.length !== 1 || typeof after[0] !== 'string')) throw badCursor(args.after);
  const { knex, dialect } = db;
  const id = bytewise(dialect, 't.test_id');
  // The page's tests first, from the catalogue in id order (those with a result in the
  // window), then the statistics of those tests only: a page costs the same wherever it is.
  const timed = () =>
    whereTestId(knex('tests as t'), dialect, 't.test_id', {
      prefix: window.testIdPrefix,
    }).whereExists(
      successfulResults(db, window).select(knex.raw('1')).whereRaw('r.test_id = t.id'),
    );
  const page = timed()
    .select('t.id', 't.test_id')
    .orderByRaw(id)
    .limit(size + 1);
  if (after) page.whereRaw(`${id} > ${bytewise(dialect, '?')}`, [after[0]!]);
  const tests: { id: number; test_id: string }[] = await page;
  const ranked = successfulResults(db, window)
    .whereIn(
      'r.test_id',
      tests.map((t) => t.id),
    )
    .select(
      'r.test_id',
      'r.duration as d',
      knex.raw('row_number() over (partition by r.test_id order by r.duration) as k'),
      knex.raw('count(*) over (partition by r.test_id) as n'),
    );
  const percentile = (p: number) => knex.raw(`max(case when ${isNearestRank(p)} then d end)`);
  const stats: Record<'test_id' | 'n' | 'mean' | 'p50' | 'p95', string | number>[] =
    tests.length === 0
      ? []
      : await knex
          .from(ranked.as('s'))
          .groupBy('s.test_id')
          .select(
            's.test_id',
            knex.raw('max(n) as n'),
            knex.raw('avg(d) as mean'),
            percentile(50).wrap('', ' as p50'),
            percentile(95).wrap('', ' as p95'),
          );
  const statsOf = new Map(stats.map((row) => [Number(row.test_id), row]));
  const total = async () => {
    const [row] = await timed().count({ n: '*' });
    return Number((row as { n: number | string }).n);
  };
  return toPage(
    tests,
    size,
    (test) => [test.test_id],
    (test) => {
      const row = statsOf.get(test.id)!;
      return {
        testId: test.test_id,
        count: Number(row.n),
        mean: Number(row.mean),
        p50: Number(row.p50),
        p95: Number(row.p95),
      };
    },
    total,
  );
}

/** The `success` results with a duration of the runs a filter covers (`r`, runs as `u`). */
function successfulResults(db: Database, filter: TimingsFilter): Knex.QueryBuilder {
  const query = db
    .knex('test_results as r')
    .join('runs as u', 'u.id', 'r.run_id')
    .where('r.status', 'success')
    .whereNotNull('r.duration');
  if (filter.since) query.where('u.run_at', '>=', timeParam(db.dialect, filter.since));
  if (filter.job) query.where('u.build_name', filter.job);
  return query;
}

function checkFilter(filter: TimingsFilter, limits: TimingsLimits, now: Date): void {
  checkTestIdFilter({ prefix: filter.testIdPrefix });
  // Runs without a job have none to name; an empty name would match nothing, silently.
  if (filter.job === '') throw new GatewatchError('BAD_ARGUMENT', 'job must not be empty');
  const since = filter.since;
  if (!since) return;
  const earliest = now.getTime() - limits.maxWindow;
  if (since.getTime() < earliest) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `since ${since.toISOString()} is further back than timings.maxWindow allows ` +
        `(${new Date(earliest).toISOString()}, ${Math.round(limits.maxWindow / 86_400_000)} days)`,
    );
  }
}
