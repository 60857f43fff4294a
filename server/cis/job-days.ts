/**
 * `ci_job_days`: per CI, job and UTC day, the builds, failures, results and flips (README "A
 * CI's record"), so that a CI's jobs over weeks are a sum of a few hundred rows, not a pass
 * over hundreds of thousands of builds.
 *
 * A flip belongs to the later patch set of a pair: it is counted at the time of that patch
 * set's newest build of the job. The newest builds are the changes' whole history's, so a
 * report on any patch set of a change can move, add or remove flips of that change on any day
 * (a late report on an older patch set changes the pair after it too). The rollup is therefore
 * kept per change: before reports of some changes are written or deleted, their contribution
 * is computed from the builds, again after, and the difference is added, in the same
 * transaction. That is exact, and idempotent: writing what is there already adds nothing.
 */
import type { Knex } from '@mikro-orm/knex';
import type { BulkWriter } from '../db/bulk.js';
import type { Dialect } from '../db/orm.js';
import { rawRows } from '../db/rows.js';
import { bucketStartMs, timeParam, utcDay } from '../db/sql.js';
import type { SqlPart } from './eligibility.js';

/** Build results that neither pass nor fail: the build did not run to an end. */
export const NON_RESULTS: readonly string[] = ['SKIPPED', 'NOT_BUILT', 'CANCELED', 'ABORTED'];

/** A build's outcome in SQL: 0 passed, 1 failed, null no result. */
const FAILED = `case when b.result = 'SUCCESS' then 0 when b.result in (${NON_RESULTS.map((r) => `'${r}'`).join(', ')}) then null else 1 end`;

const DAY_MS = 86_400_000;

/** A span of time, `[from, to)`. */
export interface Span {
  readonly from: Date;
  readonly to: Date;
}

/**
 * A window as the rollup reads it: its whole UTC days (`[firstDay, endDay)` as `YYYY-MM-DD`, null
 * when it holds none) and the parts of a day before and after them, to be read from the builds.
 */
export function daySpans(since: Date, until: Date): { days: Span | null; edges: Span[] } {
  const firstDay = Math.ceil(since.getTime() / DAY_MS) * DAY_MS;
  const endDay = Math.floor(until.getTime() / DAY_MS) * DAY_MS;
  if (firstDay >= endDay) return { days: null, edges: [{ from: since, to: until }] };
  return {
    days: { from: new Date(firstDay), to: new Date(endDay) },
    edges: [
      { from: since, to: new Date(firstDay) },
      { from: new Date(endDay), to: until },
    ].filter((s) => s.from < s.to),
  };
}

/** What a set of changes adds to one (CI, job, UTC day). */
export interface JobDay {
  readonly ciId: number;
  readonly job: string;
  /** `YYYY-MM-DD`. */
  readonly day: string;
  readonly builds: number;
  readonly failures: number;
  readonly results: number;
  readonly flips: number;
}

export interface ContributionScope {
  /** The changes: a `select` of change ids and its bindings. */
  readonly changes: SqlPart;
  /** Only this CI's builds; null for every CI. */
  readonly ciId: number | null;
  /** The history as it stood then: reports from then on left out; null for all of it. */
  readonly asOf: Date | null;
  /** Only builds and flips in it; null for all. */
  readonly range: Span | null;
}

/** What the changes' builds contribute, per (CI, job, day), by the definition. */
export async function jobDayContributions(
  knex: Knex,
  dialect: Dialect,
  scope: ContributionScope,
): Promise<JobDay[]> {
  const day = bucketStartMs(dialect, 'created_at', 'day');
  const t = (d: Date) => timeParam(dialect, d);
  const rows = await rawRows(
    knex,
    dialect,
    `with b as (
      select r.ci_id, r.patch_set_id, ps.change_id, ps.number, b.id, b.job, r.created_at,
        ${FAILED} as failed
      -- From the changes' patch sets outward: SQLite would otherwise walk every report of the
      -- CI from (ci_id, created_at) (CROSS JOIN fixes its join order; MySQL reads it as JOIN).
      from gerrit_patch_sets ps
        cross join ci_reports r on r.patch_set_id = ps.id
        cross join ci_builds b on b.report_id = r.id
      where ps.change_id in (${scope.changes.sql})
        ${scope.ciId === null ? '' : 'and r.ci_id = ?'}
        ${scope.asOf === null ? '' : 'and r.created_at < ?'}
    ), newest as (
      select ci_id, job, change_id, number, failed, created_at,
        row_number() over (partition by ci_id, job, patch_set_id order by created_at desc, id desc)
          as k
      from b
    ), steps as (
      select ci_id, job, created_at, failed,
        lag(failed) over (partition by ci_id, job, change_id order by number) as previous
      from newest where k = 1 and failed is not null
    ), events as (
      select ci_id, job, created_at, 1 as builds, failed, 0 as flips from b
      union all
      select ci_id, job, created_at, 0, null, 1 from steps where previous <> failed
    )
    select ci_id, job, ${day} as day, sum(builds) as builds, coalesce(sum(failed), 0) as failures,
      count(failed) as results, sum(flips) as flips
    from events
    ${scope.range === null ? '' : 'where created_at >= ? and created_at < ?'}
    group by ci_id, job, ${day}`,
    [
      ...scope.changes.bindings,
      ...(scope.ciId === null ? [] : [scope.ciId]),
      ...(scope.asOf === null ? [] : [t(scope.asOf)]),
      ...(scope.range === null ? [] : [t(scope.range.from), t(scope.range.to)]),
    ],
  );
  return rows.map((r) => ({
    ciId: Number(r.ci_id),
    job: String(r.job),
    day: utcDay(new Date(Number(r.day))),
    builds: Number(r.builds),
    failures: Number(r.failures),
    results: Number(r.results),
    flips: Number(r.flips),
  }));
}

/** The changes of these patch sets, as a {@link ContributionScope}'s `changes`. */
export function changesOf(patchSetIds: readonly number[]): SqlPart {
  const ids = [...new Set(patchSetIds)];
  return {
    sql: `select change_id from gerrit_patch_sets where id in (${ids.map(() => '?').join(', ')})`,
    bindings: ids,
  };
}

/** These changes (row ids), as a {@link ContributionScope}'s `changes`. */
export function changesWithIds(changeIds: readonly number[]): SqlPart {
  const ids = [...new Set(changeIds)];
  return {
    sql: `select id from gerrit_changes where id in (${ids.map(() => '?').join(', ')})`,
    bindings: ids,
  };
}

/** Every change. */
export const ALL_CHANGES: SqlPart = { sql: 'select id from gerrit_changes', bindings: [] };

const COUNTERS = ['builds', 'failures', 'results', 'flips'] as const;
const COLUMNS = ['ci_id', 'job', 'day', ...COUNTERS];
const KEYS = ['ci_id', 'day', 'job'];

/**
 * Call before writing or deleting reports of `changes` (in the transaction `trx`); the answer,
 * called after, adds the difference their writes made to `ci_job_days`.
 */
export async function trackJobDays(
  trx: Knex,
  dialect: Dialect,
  bulk: BulkWriter,
  changes: SqlPart,
): Promise<() => Promise<void>> {
  const scope = { changes, ciId: null, asOf: null, range: null };
  const before = await jobDayContributions(trx, dialect, scope);
  return async () => {
    const after = await jobDayContributions(trx, dialect, scope);
    const delta = new Map<string, { key: JobDay; counts: number[] }>();
    const add = (rows: readonly JobDay[], sign: number) => {
      for (const row of rows) {
        const id = `${row.ciId}\u0000${row.day}\u0000${row.job}`;
        let entry = delta.get(id);
        if (!entry) delta.set(id, (entry = { key: row, counts: COUNTERS.map(() => 0) }));
        COUNTERS.forEach((c, i) => (entry.counts[i]! += sign * row[c]));
      }
    };
    add(before, -1);
    add(after, 1);
    const changed = [...delta.values()].filter((e) => e.counts.some((n) => n !== 0));
    if (changed.length === 0) return;
    await bulk.addTo(
      'ci_job_days',
      COLUMNS,
      KEYS,
      COUNTERS,
      changed.map(({ key, counts }) => [key.ciId, key.job, key.day, ...counts]),
    );
    // A day whose last build went: its row goes too (flips sit on a build's day, so none remain).
    const emptied = changed.filter((e) => e.counts[0]! < 0).map((e) => e.key);
    for (let i = 0; i < emptied.length; i += 300) {
      const part = emptied.slice(i, i + 300);
      await trx.raw(
        `delete from ci_job_days where builds = 0 and (${part.map(() => '(ci_id = ? and day = ? and job = ?)').join(' or ')})`,
        part.flatMap((k) => [k.ciId, k.day, k.job]),
      );
    }
  };
}
