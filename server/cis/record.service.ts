/**
 * One CI's record over a window (README "A CI's record"): its figures, latency, agreement with
 * the upstream CI and jobs, each computed only when asked for; its reports over time.
 */
import type { Database } from '../db/orm.js';
import { rawRows } from '../db/rows.js';
import { bucketStartMs, timeParam, toDate, type Resolution } from '../db/sql.js';
import { GatewatchError } from '../errors.js';
import { ciAgreement } from './agreement.service.js';
import { ciSystemsByAccount } from './ci.service.js';
import type { CiSystem } from './ci.type.js';
import { ciFigures } from './figures.service.js';
import type { CiRecord, CiReportBucket } from './health.type.js';
import { ciJobs } from './job-record.service.js';
import { ciLatency } from './latency.service.js';
import type { RecordWindow } from './window.js';

export interface RecordQuery {
  /** The CI's account. */
  readonly ci: string;
  /** Its Gerrit server; needed only when several have the account. */
  readonly server: string | null;
  readonly since: Date;
  readonly until: Date;
}

/** Null when no CI has the account; BAD_ARGUMENT when several servers do and none is given. */
export async function ciRecord(db: Database, query: RecordQuery): Promise<CiRecord | null> {
  const found = await ciSystemsByAccount(db.knex, query.ci, query.server);
  if (found.length > 1) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `CI ${query.ci} reports on several Gerrit servers: give server`,
    );
  }
  return found[0] ? recordOf(db, found[0], query.since, query.until) : null;
}

function recordOf(db: Database, ci: CiSystem, since: Date, until: Date): CiRecord {
  const window: RecordWindow = { ciId: ci.rowId, since, until };
  const once = <T>(compute: () => Promise<T>) => {
    let value: Promise<T> | undefined;
    return () => (value ??= compute());
  };
  const figures = once(async () => (await ciFigures(db, window))[0]!);
  const latency = once(() => ciLatency(db, window));
  const agreement = once(() => ciAgreement(db, window));
  const jobs = once(() => ciJobs(db, window));
  return {
    ciId: ci.rowId,
    ci,
    since,
    until,
    get figures() {
      return figures();
    },
    get latency() {
      return latency();
    },
    get agreement() {
      return agreement();
    },
    get jobs() {
      return jobs();
    },
  };
}

/** Its reports per bucket over the window, oldest first, empty buckets left out. */
export async function ciReportSeries(
  db: Database,
  window: RecordWindow,
  resolution: Resolution,
): Promise<CiReportBucket[]> {
  const bucket = bucketStartMs(db.dialect, 'r.created_at', resolution);
  const rows = await rawRows(
    db.knex,
    db.dialect,
    `select ${bucket} as start, count(*) as reports,
      sum(case when r.verdict = 'SUCCESS' then 1 else 0 end) as successes,
      sum(case when r.verdict <> 'SUCCESS' then 1 else 0 end) as failures
    from ci_reports r
    where r.ci_id = ? and r.created_at >= ? and r.created_at < ?
    group by ${bucket}
    order by ${bucket}`,
    [window.ciId, timeParam(db.dialect, window.since), timeParam(db.dialect, window.until)],
  );
  return rows.map((r) => ({
    start: toDate(Number(r.start)),
    reports: Number(r.reports),
    successes: Number(r.successes),
    failures: Number(r.failures),
  }));
}
