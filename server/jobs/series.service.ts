/**
 * Aggregations of `runs` shared by jobs, groups and the home page: run totals per group and
 * per time bucket. Runs are few next to results (one row per stream), so these read `runs`
 * itself through {@link whereRuns} and honour a filter to the millisecond, which the daily
 * rollups could not.
 */
import type { Knex } from '@mikro-orm/knex';
import type { Database } from '../db/orm.js';
import { decodeCursor, pageSize, toPage, type Page, type PageRequest } from '../db/page.js';
import { bucketStartMs, bytewise, toDate, type Resolution } from '../db/sql.js';
import { GatewatchError } from '../errors.js';
import { sqlFailingResults, sqlPassingResults, sqlRunIs } from '../runs/outcome.js';
import { whereRuns } from '../runs/run-filter.js';
import { RunStatus, type RunFilter } from '../runs/run.type.js';
import type { GroupSeries, RunBucket } from './series.type.js';

/** How runs are split: by job (`build_name`), by the value of a metadata key, or not at all. */
export type RunGrouping = { by: 'job' } | { by: 'metadata'; key: string } | { by: 'nothing' };

/** A grouping that names its groups (what a list of groups pages through). */
export type NamedGrouping = Exclude<RunGrouping, { by: 'nothing' }>;

/** Run counts of a group over a window; a run's status follows server/runs/outcome.ts. */
export interface RunTotals {
  runs: number;
  passedRuns: number;
  failedRuns: number;
  skippedRuns: number;
  /** failedRuns / (passedRuns + failedRuns); null when both are 0. */
  failureRate: number | null;
  lastRunAt: Date | null;
}

export const NO_RUNS: RunTotals = {
  runs: 0,
  passedRuns: 0,
  failedRuns: 0,
  skippedRuns: 0,
  failureRate: null,
  lastRunAt: null,
};

/** A time window; either end may be open. */
export interface TimeWindow {
  since?: Date | null;
  until?: Date | null;
}

const runsWhere = (condition: string) => `sum(case when ${condition} then 1 else 0 end)`;

const TOTALS = [
  'count(*) as runs',
  `${runsWhere(sqlRunIs(RunStatus.PASSED))} as passed_runs`,
  `${runsWhere(sqlRunIs(RunStatus.FAILED))} as failed_runs`,
  `${runsWhere(sqlRunIs(RunStatus.SKIPPED))} as skipped_runs`,
].join(', ');

const BUCKET_FIGURES = [
  `sum${sqlPassingResults()} as test_passes`,
  `sum${sqlFailingResults()} as test_failures`,
  'sum(runs.skips) as test_skips',
  'avg(runs.wall_time) as mean_wall_time',
].join(', ');

/** Counts as drivers return aggregates: MySQL gives SUM as a decimal string, SQLite a number. */
type Aggregate = number | string | null;

interface TotalsRow {
  grp?: string | null;
  runs: Aggregate;
  passed_runs: Aggregate;
  failed_runs: Aggregate;
  skipped_runs: Aggregate;
}

interface BucketRow extends TotalsRow {
  bucket: Aggregate;
  test_passes: Aggregate;
  test_failures: Aggregate;
  test_skips: Aggregate;
  mean_wall_time: Aggregate;
}

/** failed / (passed + failed), null when nothing was decided. */
export function rateOf(failed: number, passed: number): number | null {
  return failed + passed === 0 ? null : failed / (failed + passed);
}

function countsOf(row: TotalsRow): Omit<RunTotals, 'lastRunAt'> {
  const passedRuns = Number(row.passed_runs ?? 0);
  const failedRuns = Number(row.failed_runs ?? 0);
  return {
    runs: Number(row.runs ?? 0),
    passedRuns,
    failedRuns,
    skippedRuns: Number(row.skipped_runs ?? 0),
    failureRate: rateOf(failedRuns, passedRuns),
  };
}

function totalsOf(row: TotalsRow & { last_run_at: unknown }): RunTotals {
  const last = row.last_run_at;
  return { ...countsOf(row), lastRunAt: last === null || last === undefined ? null : toDate(last) };
}

function bucketOf(row: BucketRow): RunBucket {
  const testPasses = Number(row.test_passes ?? 0);
  const testFailures = Number(row.test_failures ?? 0);
  return {
    start: new Date(Number(row.bucket)),
    ...countsOf(row),
    testPasses,
    testFailures,
    testSkips: Number(row.test_skips ?? 0),
    testFailureRate: rateOf(testFailures, testPasses),
    meanWallTime: row.mean_wall_time === null ? null : Number(row.mean_wall_time),
  };
}

/** The SQL of a grouping's value over `runs`: what to select, and what to group and sort by. */
export interface GroupValue {
  /** The value column. */
  column: string;
  /**
   * The column compared byte by byte: groups and their order are then the same in both
   * dialects (MySQL's utf8mb4_bin would merge and sort values ignoring trailing spaces).
   */
  key: string;
}

/**
 * `runs` restricted by the filter, and the grouping's value (null when not grouped). Runs
 * lacking a metadata key stay in, with a null value.
 */
export function groupedRuns(
  db: Database,
  filter: RunFilter | undefined,
  grouping: RunGrouping,
): { query: Knex.QueryBuilder; value: GroupValue | null } {
  const query = whereRuns(db.knex('runs'), db.dialect, filter);
  const valueOf = (column: string) => ({ column, key: bytewise(db.dialect, column) });
  switch (grouping.by) {
    case 'job':
      return { query, value: valueOf('runs.build_name') };
    case 'metadata':
      query.leftJoin('run_metadata as g', (on) =>
        on.on('g.run_id', '=', 'runs.id').andOnVal('g.key', '=', grouping.key),
      );
      return { query, value: valueOf('g.value') };
    case 'nothing':
      return { query, value: null };
  }
}

/** The select list naming the group `grp` (a value of its byte-wise group, or null). */
const groupColumn = (value: GroupValue | null) =>
  value === null ? 'null as grp' : `min(${value.column}) as grp`;

/**
 * Run totals per group over the runs matching the filter, keyed by group value (null for
 * runs outside every group, or for everything when not grouped); `values` restricts the
 * groups. Groups without runs are absent.
 */
export async function runTotals(
  db: Database,
  filter: RunFilter | undefined,
  grouping: RunGrouping,
  values?: readonly string[],
): Promise<Map<string | null, RunTotals>> {
  const { query, value } = groupedRuns(db, filter, grouping);
  query.select(db.knex.raw(`${groupColumn(value)}, ${TOTALS}, max(runs.run_at) as last_run_at`));
  if (value !== null) {
    query.groupByRaw(value.key);
    if (values) query.whereIn(value.column, values);
  }
  const rows = (await query) as (TotalsRow & { last_run_at: unknown })[];
  return new Map(
    rows.filter((row) => Number(row.runs) > 0).map((row) => [row.grp ?? null, totalsOf(row)]),
  );
}

/**
 * Totals of the runs matching the filter that lack the grouping's value (no such metadata
 * key, or no job): the group the named groups leave out. Null when every run has a value.
 */
export async function ungroupedTotals(
  db: Database,
  filter: RunFilter | undefined,
  grouping: NamedGrouping,
): Promise<RunTotals | null> {
  const { query, value } = groupedRuns(db, filter, grouping);
  const [row] = (await query
    .whereNull(value!.column)
    .select(db.knex.raw(`${TOTALS}, max(runs.run_at) as last_run_at`))) as (TotalsRow & {
    last_run_at: unknown;
  })[];
  return row && Number(row.runs) > 0 ? totalsOf(row) : null;
}

/** A group's value and its run totals. */
export interface GroupTotals {
  value: string;
  totals: RunTotals;
}

/**
 * The groups of runs matching the filter, by value (byte-wise), with their totals, one
 * keyset page; `contains` keeps the values holding that text, ignoring ASCII case. `nodesOf`
 * makes the page's nodes from all its groups at once, so they can share loaders.
 */
export async function pageOfGroups<T>(
  db: Database,
  filter: RunFilter | undefined,
  grouping: NamedGrouping,
  page: PageRequest,
  nodesOf: (groups: GroupTotals[]) => T[],
  contains?: string | null,
): Promise<Page<T>> {
  const size = pageSize(page);
  const after = decodeCursor(page.after);
  const matching = () => {
    const { query, value } = groupedRuns(db, filter, grouping);
    const { column } = value!;
    query.whereNotNull(column);
    // instr() finds text literally: no LIKE wildcards to escape.
    if (contains) query.whereRaw(`instr(lower(${column}), lower(?)) > 0`, [contains]);
    return { query, value: value! };
  };
  const { query, value } = matching();
  if (after) {
    query.whereRaw(`${value.key} > ${bytewise(db.dialect, '?')}`, [String(after[0])]);
  }
  const rows = (await query
    .select(db.knex.raw(`${groupColumn(value)}, ${TOTALS}, max(runs.run_at) as last_run_at`))
    .groupByRaw(value.key)
    .orderByRaw(value.key)
    .limit(size + 1)) as (TotalsRow & { grp: string; last_run_at: unknown })[];
  const nodes = nodesOf(rows.map((row) => ({ value: row.grp, totals: totalsOf(row) })));
  return toPage(
    rows.map((row, i) => ({ value: row.grp, node: nodes[i]! })),
    size,
    ({ value }) => [value],
    ({ node }) => node,
    async () => {
      const { query: counted, value: counting } = matching();
      const [row] = (await counted.select(db.knex.raw(`count(distinct ${counting.key}) as n`))) as {
        n: Aggregate;
      }[];
      return Number(row?.n ?? 0);
    },
  );
}

/**
 * Run totals per group and time bucket, in one grouped query: the series of every group, or
 * of the `values` asked for. Groups are in value order with the null group last; buckets
 * oldest first, empty ones left out.
 */
export async function runSeries(
  db: Database,
  filter: RunFilter | undefined,
  resolution: Resolution,
  grouping: RunGrouping,
  values?: readonly string[],
): Promise<GroupSeries[]> {
  const { query, value } = groupedRuns(db, filter, grouping);
  const bucket = bucketStartMs(db.dialect, 'runs.run_at', resolution);
  query.select(
    db.knex.raw(`${groupColumn(value)}, ${bucket} as bucket, ${TOTALS}, ${BUCKET_FIGURES}`),
  );
  if (value !== null) {
    query.groupByRaw(`${value.key}, ${bucket}`).orderByRaw(`${value.key}, ${bucket}`);
    if (values) query.whereIn(value.column, values);
  } else {
    query.groupByRaw(bucket).orderByRaw(bucket);
  }
  const rows = (await query) as BucketRow[];
  const groups = new Map<string | null, RunBucket[]>();
  for (const row of rows) {
    const key = row.grp ?? null;
    let buckets = groups.get(key);
    if (!buckets) groups.set(key, (buckets = []));
    buckets.push(bucketOf(row));
  }
  const unnamed = groups.get(null);
  groups.delete(null);
  const series = [...groups].map(([key, buckets]) => ({ value: key, buckets }));
  if (unnamed) series.push({ value: null, buckets: unnamed });
  return series;
}

/**
 * The filter with its window ends replaced by those `window` gives. Throws BAD_ARGUMENT
 * when the resulting since is not before its until.
 */
export function narrowed(
  filter: RunFilter | TimeWindow | undefined,
  window: TimeWindow,
): RunFilter {
  const since = window.since ?? filter?.since ?? undefined;
  const until = window.until ?? filter?.until ?? undefined;
  checkWindow({ since, until });
  return { ...(filter as RunFilter | undefined), since, until };
}

/** Throws BAD_ARGUMENT when both ends are given and since is not before until. */
export function checkWindow(window: TimeWindow): void {
  const { since, until } = window;
  if (since && until && since.getTime() >= until.getTime()) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `since (${since.toISOString()}) must be before until (${until.toISOString()})`,
    );
  }
}

/** Throws BAD_ARGUMENT unless `value` is an integer in min…max. */
export function checkRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new GatewatchError('BAD_ARGUMENT', `${name} must be ${min}…${max}, got ${value}`);
  }
}

/**
 * One aggregation answered for every group of a page at once: the first group asking with
 * some arguments loads them for the whole page in one query, and the others share it. A
 * page of N groups then costs one query per distinct set of arguments, not N.
 */
export function pageLoader<A, V>(
  values: readonly string[],
  keyOf: (args: A) => string,
  load: (args: A, values: readonly string[]) => Promise<Map<string | null, V>>,
  missing: V,
): (value: string, args: A) => Promise<V> {
  const loaded = new Map<string, Promise<Map<string | null, V>>>();
  return async (value, args) => {
    const key = keyOf(args);
    let answers = loaded.get(key);
    if (!answers) loaded.set(key, (answers = load(args, values)));
    return (await answers).get(value) ?? missing;
  };
}

/** A window as a map key. */
export function windowKey(window: TimeWindow): string {
  return `${window.since?.getTime() ?? ''}/${window.until?.getTime() ?? ''}`;
}
