/**
 * A CI's jobs over a window, from the builds of its reports in the window:
 * - `failures`: builds whose result is neither SUCCESS nor a non-result (job-days.ts'
 *   `NON_RESULTS`: the job did not run to an end — skipped, never built, cancelled, aborted);
 * - `failureRate` = failures ÷ builds with a result;
 * - `flips`: per change, its patch sets in number order, each by its newest build of the job
 *   before the window's end, those whose newest build has a result: how often the result goes
 *   from pass to fail or back between consecutive ones, counted when the later patch set's
 *   newest build is in the window;
 * - `lastResult`/`lastAt`: the job's newest build (its report's time).
 * The unstable jobs come first: flips, then failure rate, descending; then by name.
 *
 * The whole UTC days of the window are read from `ci_job_days` (job-days.ts); the parts of a
 * day at either edge from the builds. The rollup counts flips by the whole history's newest
 * builds: for changes with reports after the window's end, their flips in the window are
 * worked out again as of the end.
 */
import type { Database } from '../db/orm.js';
import { rawRows } from '../db/rows.js';
import { dateBucketStartMs, timeParam, toDate, utcDay } from '../db/sql.js';
import type { CiJobRecord } from './health.type.js';
import {
  changesWithIds,
  daySpans,
  jobDayContributions,
  type JobDay,
  type Span,
} from './job-days.js';
import type { SqlPart } from './eligibility.js';
import type { RecordWindow } from './window.js';

/** The most jobs a record lists (the most unstable ones). */
export const MAX_RECORD_JOBS = 1000;

const DAY_MS = 86_400_000;

interface Tally {
  builds: number;
  failures: number;
  results: number;
  flips: number;
}

export async function ciJobs(db: Database, window: RecordWindow): Promise<CiJobRecord[]> {
  const { days, edges } = daySpans(window.since, window.until);

  const tallies = new Map<string, Tally>();
  const tally = (job: string) => {
    let t = tallies.get(job);
    if (!t) tallies.set(job, (t = { builds: 0, failures: 0, results: 0, flips: 0 }));
    return t;
  };
  const add = (rows: readonly JobDay[]) => {
    for (const r of rows) {
      const t = tally(r.job);
      t.builds += r.builds;
      t.failures += r.failures;
      t.results += r.results;
      t.flips += r.flips;
    }
  };
  /** Per job, the newest span (in time) holding a build of it: where its last build is. */
  const lastSpan = new Map<string, Span>();
  const seen = (rows: readonly { job: string }[], span: Span) => {
    for (const r of rows) {
      const newest = lastSpan.get(r.job);
      if (!newest || newest.from < span.from) lastSpan.set(r.job, span);
    }
  };

  if (days) {
    const rows = await rawRows(
      db.knex,
      db.dialect,
      `select job, ${dateBucketStartMs(db.dialect, 'day', 'day')} as start, builds, failures, results, flips
      from ci_job_days where ci_id = ? and day >= ? and day < ?`,
      [window.ciId, utcDay(days.from), utcDay(days.to)],
    );
    for (const r of rows) {
      const start = Number(r.start);
      const job = String(r.job);
      add([
        {
          ciId: window.ciId,
          job,
          day: utcDay(new Date(start)),
          builds: Number(r.builds),
          failures: Number(r.failures),
          results: Number(r.results),
          flips: Number(r.flips),
        },
      ]);
      seen([{ job }], { from: new Date(start), to: new Date(start + DAY_MS) });
    }
  }
  for (const span of edges) {
    const rows = await jobDayContributions(db.knex, db.dialect, {
      changes: changesReportedOn(db, window.ciId, span),
      ciId: window.ciId,
      asOf: null,
      range: span,
    });
    add(rows);
    seen(
      rows.filter((r) => r.builds > 0),
      span,
    );
  }
  await correctLateChanges(db, window, tally);

  const last = await lastBuilds(db, window.ciId, lastSpan);
  const jobs = [...tallies].flatMap(([job, t]) => {
    const newest = last.get(job);
    if (!newest || t.builds === 0) return [];
    return [
      {
        job,
        builds: t.builds,
        failures: t.failures,
        results: t.results,
        failureRate: t.results === 0 ? null : t.failures / t.results,
        flips: t.flips,
        lastResult: newest.result,
        lastAt: newest.at,
      },
    ];
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

/** The changes the CI reported on in `span`. */
function changesReportedOn(db: Database, ciId: number, span: Span): SqlPart {
  return {
    sql: `select ps2.change_id from ci_reports r2 join gerrit_patch_sets ps2 on ps2.id = r2.patch_set_id
      where r2.ci_id = ? and r2.created_at >= ? and r2.created_at < ?`,
    bindings: [ciId, timeParam(db.dialect, span.from), timeParam(db.dialect, span.to)],
  };
}

/**
 * Changes the CI reported on both in the window and after it: the rollup's flips of theirs in
 * the window (by their newest builds today) are replaced by those as of the window's end.
 * (The CROSS JOIN keeps SQLite looking a change's reports up by patch set, see job-days.ts.)
 */
async function correctLateChanges(
  db: Database,
  window: RecordWindow,
  tally: (job: string) => Tally,
): Promise<void> {
  const rows = await rawRows(
    db.knex,
    db.dialect,
    `select distinct ps.change_id from ci_reports r join gerrit_patch_sets ps on ps.id = r.patch_set_id
    where r.ci_id = ? and r.created_at >= ?
      and exists (select 1 from gerrit_patch_sets ps3 cross join ci_reports r3 on r3.patch_set_id = ps3.id
        where ps3.change_id = ps.change_id and r3.ci_id = ? and r3.created_at >= ? and r3.created_at < ?)`,
    [
      window.ciId,
      timeParam(db.dialect, window.until),
      window.ciId,
      timeParam(db.dialect, window.since),
      timeParam(db.dialect, window.until),
    ],
  );
  if (rows.length === 0) return;
  const changes = changesWithIds(rows.map((r) => Number(r.change_id)));
  const range = { from: window.since, to: window.until };
  const scope = { changes, ciId: window.ciId, range };
  const today = await jobDayContributions(db.knex, db.dialect, { ...scope, asOf: null });
  const then = await jobDayContributions(db.knex, db.dialect, { ...scope, asOf: window.until });
  for (const r of today) tally(r.job).flips -= r.flips;
  for (const r of then) tally(r.job).flips += r.flips;
}

/** Each job's newest build (result and its report's time) within the span holding it. */
async function lastBuilds(
  db: Database,
  ciId: number,
  spans: ReadonlyMap<string, Span>,
): Promise<Map<string, { result: string; at: Date }>> {
  const jobsBySpan = new Map<string, { span: Span; jobs: string[] }>();
  for (const [job, span] of spans) {
    const key = `${span.from.getTime()}-${span.to.getTime()}`;
    const entry = jobsBySpan.get(key) ?? { span, jobs: [] };
    entry.jobs.push(job);
    jobsBySpan.set(key, entry);
  }
  const last = new Map<string, { result: string; at: Date }>();
  for (const { span, jobs } of jobsBySpan.values()) {
    for (let i = 0; i < jobs.length; i += 500) {
      const part = jobs.slice(i, i + 500);
      const rows = await rawRows(
        db.knex,
        db.dialect,
        `select job, result, created_at from (
          select b.job, b.result, r.created_at,
            row_number() over (partition by b.job order by r.created_at desc, b.id desc) as k
          from ci_reports r join ci_builds b on b.report_id = r.id
          where r.ci_id = ? and r.created_at >= ? and r.created_at < ?
            and b.job in (${part.map(() => '?').join(', ')})
        ) newest where k = 1`,
        [ciId, timeParam(db.dialect, span.from), timeParam(db.dialect, span.to), ...part],
      );
      for (const r of rows)
        last.set(String(r.job), { result: String(r.result), at: toDate(r.created_at) });
    }
  }
  return last;
}
