/**
 * A CI's report latency over a window: for each patch set created in the window that it
 * reported on, its first report in the window − the patch set's creation. Median and p95 by
 * nearest rank (the ⌈p·n⌉-th smallest), picked in SQL so that only two numbers come back.
 */
import type { Database } from '../db/orm.js';
import { rawRows } from '../db/rows.js';
import { epochMs, isNearestRank, timeParam } from '../db/sql.js';
import type { CiLatency } from './health.type.js';
import type { RecordWindow } from './window.js';

export async function ciLatency(db: Database, window: RecordWindow): Promise<CiLatency> {
  const { dialect } = db;
  const since = timeParam(dialect, window.since);
  const until = timeParam(dialect, window.until);
  const rows = await rawRows(
    db.knex,
    dialect,
    `with firsts as (
      select min(${epochMs(dialect, 'r.created_at')}) - ${epochMs(dialect, 'ps.created_at')} as ms
      from ci_reports r join gerrit_patch_sets ps on ps.id = r.patch_set_id
      where r.ci_id = ? and r.created_at >= ? and r.created_at < ?
        and ps.created_at >= ? and ps.created_at < ?
      group by ps.id, ps.created_at
    ), ranked as (
      select ms, row_number() over (order by ms) as k, count(*) over () as n from firsts
    )
    select max(n) as n,
      max(case when ${isNearestRank(50)} then ms end) as median,
      max(case when ${isNearestRank(95)} then ms end) as p95
    from ranked`,
    [window.ciId, since, until, since, until],
  );
  const row = rows[0] ?? {};
  const seconds = (ms: unknown) => (ms === null || ms === undefined ? null : Number(ms) / 1000);
  return {
    patchSets: Number(row.n ?? 0),
    median: seconds(row.median),
    p95: seconds(row.p95),
  };
}
