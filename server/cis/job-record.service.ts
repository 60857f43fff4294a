/**
 * A CI's jobs over a window, from the builds of its reports in the window:
 * - `failures`: builds whose result is neither SUCCESS nor a non-result ({@link NON_RESULTS}:
 *   the job did not run to an end — skipped, never built, cancelled, aborted);
 * - `failureRate` = failures ÷ builds with a result;
 * - `flips`: per change, its patch sets in number order, each by its newest build of the job in
 *   the window, those whose newest build has a result: how often the result goes from pass to
 *   fail or back between consecutive ones;
 * - `lastResult`/`lastAt`: the job's newest build (its report's time).
 * The unstable jobs come first: flips, then failure rate, descending; then by name.
 */
import type { Database } from '../db/orm.js';
import { rawRows } from '../db/rows.js';
import { timeParam, toDate } from '../db/sql.js';
import type { CiJobRecord } from './health.type.js';
import type { RecordWindow } from './window.js';

/** Build results that neither pass nor fail: the build did not run to an end. */
export const NON_RESULTS: readonly string[] = ['SKIPPED', 'NOT_BUILT', 'CANCELED', 'ABORTED'];

/** The most jobs a record lists (the most unstable ones). */
export const MAX_RECORD_JOBS = 1000;

export async function ciJobs(db: Database, window: RecordWindow): Promise<CiJobRecord[]> {
  const since = timeParam(db.dialect, window.since);
  const until = timeParam(db.dialect, window.until);
  const nonResults = NON_RESULTS.map((r) => `'${r}'`).join(', ');
  const rows = await rawRows(
    db.knex,
    db.dialect,
    `with builds as (
      select b.id, b.job, b.result, r.created_at, r.patch_set_id,
        case when b.result = 'SUCCESS' then 0 when b.result in (${nonResults}) then null else 1 end
          as failed
      from ci_reports r join ci_builds b on b.report_id = r.id
      where r.ci_id = ? and r.created_at >= ? and r.created_at < ?
    ), newest as (
      select b.job, b.failed, ps.change_id, ps.number,
        row_number() over (partition by b.job, b.patch_set_id order by b.created_at desc, b.id desc)
          as k
      from builds b join gerrit_patch_sets ps on ps.id = b.patch_set_id
    ), steps as (
      select job, failed, lag(failed) over (partition by job, change_id order by number) as previous
      from newest where k = 1 and failed is not null
    ), flips as (
      select job, sum(case when previous is not null and previous <> failed then 1 else 0 end) as flips
      from steps group by job
    ), latest as (
      select job, result, created_at,
        row_number() over (partition by job order by created_at desc, id desc) as k
      from builds
    )
    select t.job, t.builds, t.failures, t.results, coalesce(f.flips, 0) as flips,
      l.result as last_result, l.created_at as last_at
    from (select job, count(*) as builds, coalesce(sum(failed), 0) as failures,
        count(failed) as results from builds group by job) t
      join latest l on l.job = t.job and l.k = 1
      left join flips f on f.job = t.job`,
    [window.ciId, since, until],
  );
  const jobs = rows.map((r) => {
    const failures = Number(r.failures);
    const results = Number(r.results);
    return {
      job: String(r.job),
      builds: Number(r.builds),
      failures,
      results,
      failureRate: results === 0 ? null : failures / results,
      flips: Number(r.flips),
      lastResult: String(r.last_result),
      lastAt: toDate(r.last_at),
    };
  });
  // Rates compared as fractions (a/b > c/d ⇔ a·d > c·b): exact, unlike either dialect's division.
  jobs.sort(
    (a, b) =>
      b.flips - a.flips ||
      Number(b.results > 0) - Number(a.results > 0) ||
      b.failures * a.results - a.failures * b.results ||
      (a.job < b.job ? -1 : a.job > b.job ? 1 : 0),
  );
  return jobs.slice(0, MAX_RECORD_JOBS).map(({ results: _results, ...job }) => job);
}
