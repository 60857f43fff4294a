/**
 * The README's definitions of a CI's jobs worked out in TypeScript, straight from every stored
 * build: what `ci_job_days` must hold and what a record's `jobs` must answer, to compare the
 * rollup (and the SQL that maintains and reads it) against.
 */
import { ciJobs } from '../../server/cis/job-record.service.js';
import type { Database } from '../../server/db/orm.js';
import { toDate, utcDay } from '../../server/db/sql.js';
import { expect } from 'vitest';

const NON_RESULTS = new Set(['SKIPPED', 'NOT_BUILT', 'CANCELED', 'ABORTED']);

export interface StoredBuild {
  ciId: number;
  changeId: number;
  patchSetId: number;
  number: number;
  id: number;
  job: string;
  result: string;
  at: number;
}

export async function storedBuilds(db: Database): Promise<StoredBuild[]> {
  const rows = (await db
    .knex('ci_builds as b')
    .join('ci_reports as r', 'r.id', 'b.report_id')
    .join('gerrit_patch_sets as ps', 'ps.id', 'r.patch_set_id')
    .select(
      'r.ci_id',
      'ps.change_id',
      'r.patch_set_id',
      'ps.number',
      'b.id',
      'b.job',
      'b.result',
      'r.created_at',
    )) as Record<string, unknown>[];
  return rows.map((r) => ({
    ciId: Number(r.ci_id),
    changeId: Number(r.change_id),
    patchSetId: Number(r.patch_set_id),
    number: Number(r.number),
    id: Number(r.id),
    job: String(r.job),
    result: String(r.result),
    at: toDate(r.created_at).getTime(),
  }));
}

const failed = (result: string) => (result === 'SUCCESS' ? 0 : NON_RESULTS.has(result) ? null : 1);
const newer = (a: StoredBuild, b: StoredBuild) => a.at > b.at || (a.at === b.at && a.id > b.id);

/** Flips as of `asOf` (ms; reports from then on left out): CI, job and the time each is counted at. */
function flips(builds: readonly StoredBuild[], asOf: number) {
  const newest = new Map<string, StoredBuild>();
  for (const b of builds) {
    if (b.at >= asOf) continue;
    const key = `${b.ciId}|${b.job}|${b.patchSetId}`;
    const seen = newest.get(key);
    if (!seen || newer(b, seen)) newest.set(key, b);
  }
  const lines = new Map<string, StoredBuild[]>();
  for (const b of newest.values()) {
    if (failed(b.result) === null) continue;
    const key = `${b.ciId}|${b.job}|${b.changeId}`;
    lines.set(key, [...(lines.get(key) ?? []), b]);
  }
  const events: { ciId: number; job: string; at: number }[] = [];
  for (const line of lines.values()) {
    line.sort((a, b) => a.number - b.number);
    for (let i = 1; i < line.length; i++) {
      if (failed(line[i]!.result) !== failed(line[i - 1]!.result)) events.push(line[i]!);
    }
  }
  return events;
}

/** `ci_job_days` by the definition: every build on its day, every flip by today's newest builds. */
export function jobDaysByDefinition(builds: readonly StoredBuild[]): string[] {
  const days = new Map<string, number[]>();
  const row = (ciId: number, job: string, at: number) => {
    const key = `${ciId} ${utcDay(new Date(at))} ${job}`;
    let counts = days.get(key);
    if (!counts) days.set(key, (counts = [0, 0, 0, 0]));
    return counts;
  };
  for (const b of builds) {
    const counts = row(b.ciId, b.job, b.at);
    const f = failed(b.result);
    counts[0]! += 1;
    counts[1]! += f ?? 0;
    counts[2]! += f === null ? 0 : 1;
  }
  for (const e of flips(builds, Infinity)) row(e.ciId, e.job, e.at)[3]! += 1;
  return [...days].map(([key, counts]) => `${key}: ${counts.join(' ')}`).sort();
}

/** `ci_job_days` as stored, in the form of {@link jobDaysByDefinition}. */
export async function storedJobDays(db: Database): Promise<string[]> {
  const rows = (await db.knex('ci_job_days').select()) as Record<string, unknown>[];
  return rows
    .map((r) => {
      const day = typeof r.day === 'string' ? r.day : utcDay(toDate(r.day));
      return `${Number(r.ci_id)} ${day} ${String(r.job)}: ${[r.builds, r.failures, r.results, r.flips].map(Number).join(' ')}`;
    })
    .sort();
}

/** A record's jobs by the definition, by job name. */
export function jobsByDefinition(
  builds: readonly StoredBuild[],
  ciId: number,
  since: number,
  until: number,
) {
  const mine = builds.filter((b) => b.ciId === ciId);
  const jobs = new Map<
    string,
    { builds: number; failures: number; results: number; flips: number; last: StoredBuild }
  >();
  for (const b of mine) {
    if (b.at < since || b.at >= until) continue;
    const j = jobs.get(b.job);
    const f = failed(b.result);
    if (!j)
      jobs.set(b.job, {
        builds: 1,
        failures: f ?? 0,
        results: f === null ? 0 : 1,
        flips: 0,
        last: b,
      });
    else {
      j.builds += 1;
      j.failures += f ?? 0;
      j.results += f === null ? 0 : 1;
      if (newer(b, j.last)) j.last = b;
    }
  }
  for (const e of flips(mine, until)) if (e.at >= since) jobs.get(e.job)!.flips += 1;
  return Object.fromEntries(
    [...jobs].map(([job, j]) => [
      job,
      {
        builds: j.builds,
        failures: j.failures,
        failureRate: j.results === 0 ? null : j.failures / j.results,
        flips: j.flips,
        lastResult: j.last.result,
        lastAt: new Date(j.last.at),
      },
    ]),
  );
}

/** Every CI's record `jobs` over each window equals the definition's; answers the jobs compared. */
export async function expectJobsAsDefined(
  db: Database,
  windows: readonly { since: number; until: number }[],
): Promise<number> {
  const builds = await storedBuilds(db);
  const cis = [...new Set(builds.map((b) => b.ciId))];
  let compared = 0;
  for (const ciId of cis) {
    for (const { since, until } of windows) {
      const answered = await ciJobs(db, { ciId, since: new Date(since), until: new Date(until) });
      const label = `CI ${ciId}, ${new Date(since).toISOString()} – ${new Date(until).toISOString()}`;
      expect(Object.fromEntries(answered.map(({ job, ...rest }) => [job, rest])), label).toEqual(
        jobsByDefinition(builds, ciId, since, until),
      );
      compared += answered.length;
    }
  }
  return compared;
}
