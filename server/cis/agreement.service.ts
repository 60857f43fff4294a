/**
 * A CI against its server's upstream CI over a window: on the patch sets both reported on, each
 * side's newest report in the window that passed (SUCCESS) or failed (FAILURE, UNSTABLE, ERROR).
 * MERGE_FAILED and DEPENDENCY_FAILED say nothing of the change and a report without a verdict
 * says nothing at all: such reports are passed over.
 */
import type { Database } from '../db/orm.js';
import { rawRows } from '../db/rows.js';
import { timeParam } from '../db/sql.js';
import type { CiAgreement } from './health.type.js';
import type { RecordWindow } from './window.js';

const PASSING_VERDICTS: readonly string[] = ['SUCCESS'];
const FAILING_VERDICTS: readonly string[] = ['FAILURE', 'UNSTABLE', 'ERROR'];

/** Its server's upstream CI (the first by name when several are), or null when none. */
export async function upstreamOf(db: Database, ciId: number): Promise<number | null> {
  const row = (await db
    .knex('ci_systems as c')
    .join('gerrit_accounts as a', 'a.id', 'c.account_id')
    .whereIn(
      'a.server_id',
      db
        .knex('ci_systems as me')
        .join('gerrit_accounts as ma', 'ma.id', 'me.account_id')
        .where('me.id', ciId)
        .select('ma.server_id'),
    )
    .where('c.upstream', 1)
    .orderBy([{ column: 'c.name' }, { column: 'c.id' }])
    .first('c.id')) as { id: unknown } | undefined;
  return row === undefined ? null : Number(row.id);
}

/** Null for the upstream CI itself and when its server has none. */
export async function ciAgreement(db: Database, window: RecordWindow): Promise<CiAgreement | null> {
  const upstreamId = await upstreamOf(db, window.ciId);
  if (upstreamId === null || upstreamId === window.ciId) return null;
  const since = timeParam(db.dialect, window.since);
  const until = timeParam(db.dialect, window.until);
  const list = (verdicts: readonly string[]) => verdicts.map((v) => `'${v}'`).join(', ');
  // One pass over both CIs' reports, paired per patch set by grouping: a join of the two
  // newest-report lists made SQLite compare every pair (22 s of CPU for 90 days of the bench).
  const newest = `select r.patch_set_id, r.ci_id,
      case when r.verdict in (${list(PASSING_VERDICTS)}) then 1 else 0 end as passed,
      row_number() over (partition by r.patch_set_id, r.ci_id order by r.created_at desc, r.id desc)
        as k
    from ci_reports r
    where r.ci_id in (?, ?) and r.created_at >= ? and r.created_at < ?
      and r.verdict in (${list([...PASSING_VERDICTS, ...FAILING_VERDICTS])})`;
  const pairs = `select max(case when n.ci_id = ? then n.passed end) as mine,
      max(case when n.ci_id = ? then n.passed end) as upstream
    from (${newest}) n where n.k = 1 group by n.patch_set_id`;
  const rows = await rawRows(
    db.knex,
    db.dialect,
    `select count(*) as patch_sets,
      sum(case when p.mine = 1 and p.upstream = 1 then 1 else 0 end) as both_passed,
      sum(case when p.mine = 0 and p.upstream = 0 then 1 else 0 end) as both_failed,
      sum(case when p.mine = 0 and p.upstream = 1 then 1 else 0 end) as failed_where_passed,
      sum(case when p.mine = 1 and p.upstream = 0 then 1 else 0 end) as passed_where_failed
    from (${pairs}) p
    where p.mine is not null and p.upstream is not null`,
    [window.ciId, upstreamId, window.ciId, upstreamId, since, until],
  );
  const row = rows[0] ?? {};
  const patchSets = Number(row.patch_sets ?? 0);
  const failedWhereUpstreamPassed = Number(row.failed_where_passed ?? 0);
  const passedWhereUpstreamFailed = Number(row.passed_where_failed ?? 0);
  return {
    upstreamId,
    patchSets,
    bothPassed: Number(row.both_passed ?? 0),
    bothFailed: Number(row.both_failed ?? 0),
    failedWhereUpstreamPassed,
    passedWhereUpstreamFailed,
    disagreementRate:
      patchSets === 0 ? null : (failedWhereUpstreamPassed + passedWhereUpstreamFailed) / patchSets,
  };
}
