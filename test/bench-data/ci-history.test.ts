/**
 * The ci benchmark's generated history (bench/ci-data.ts) on a tiny shape: its rows hold
 * together (foreign keys, a comment behind every report, runs linked by their log key), it
 * looks as designed (one upstream, a CI that stopped, rechecks, merges, quick supersedes), and
 * the figures computed from the tables equal what the generator tallied while writing;
 * `ci_job_days`, kept day by day as the report writer keeps it, is what the definition gives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCiHistory, type RowCounts } from '../../bench/ci-data.js';
import { STOPPED_BEFORE_END_MS, type CiShape } from '../../bench/ci-model.js';
import type { CiStory } from '../../bench/ci-story.js';
import { ciFigures } from '../../server/cis/figures.service.js';
import { openDatabase, type Database } from '../../server/db/orm.js';
import { timeParam, toDate } from '../../server/db/sql.js';
import { backends } from '../helpers/databases.js';
import {
  expectJobsAsDefined,
  jobDaysByDefinition,
  storedBuilds,
  storedJobDays,
} from '../cis/job-oracle.js';

const SHAPE: CiShape = {
  days: 12,
  projects: 6,
  cis: 5,
  changesPerDay: 20,
  end: new Date('2026-12-01T00:00:00Z'),
};

type Row = Record<string, unknown>;
const count = async (db: Database, table: string) =>
  Number(((await db.knex(table).count({ n: '*' })) as Row[])[0]!.n);

for (const backend of backends) {
  describe(`ci bench history on ${backend.name}`, () => {
    let created: Awaited<ReturnType<typeof backend.create>>;
    let db: Database;
    let story: CiStory;
    let rows: RowCounts;

    beforeAll(async () => {
      created = await backend.create();
      db = await openDatabase(created.target);
      ({ story, rows } = await generateCiHistory(db, SHAPE));
    });
    afterAll(async () => {
      await db?.close();
      await created?.drop();
    });

    it('writes the rows it says it wrote, and they hold together', async () => {
      for (const [table, n] of Object.entries(rows)) expect(await count(db, table), table).toBe(n);
      if (db.dialect === 'sqlite') {
        expect(await db.knex.raw('pragma foreign_key_check')).toEqual([]);
      }
      // Every report has its comment: by the CI's account, on the same patch set, at its time.
      const orphans = await db
        .knex('ci_reports as r')
        .join('ci_systems as c', 'c.id', 'r.ci_id')
        .leftJoin('gerrit_comments as m', (j) =>
          j
            .on('m.id', 'r.comment_id')
            .andOn('m.patch_set_id', 'r.patch_set_id')
            .andOn('m.author_id', 'c.account_id')
            .andOn('m.created_at', 'r.created_at'),
        )
        .whereNull('m.id')
        .orWhereNot('m.kind', 'report')
        .count({ n: '*' });
      expect(Number(orphans[0]!.n)).toBe(0);
      // A linked build's run has its URL as artifacts URL and the same log key.
      const linked = (await db
        .knex('ci_builds as b')
        .join('runs as u', 'u.id', 'b.run_id')
        .join('run_log_keys as k', 'k.run_id', 'u.id')
        .select('b.log_url', 'b.log_key', 'u.artifacts_url', 'k.log_key as run_key')) as Row[];
      expect(linked.length).toBe(rows.runs);
      for (const l of linked) {
        expect(l.artifacts_url).toBe(l.log_url);
        expect(l.run_key).toBe(l.log_key);
      }
    });

    it('looks as designed', async () => {
      const end = timeParam(db.dialect, SHAPE.end);
      expect(rows.ci_systems).toBe(SHAPE.cis);
      expect(rows.gerrit_projects).toBe(SHAPE.projects);
      const upstream = await db.knex('ci_systems').where('upstream', 1).count({ n: '*' });
      expect(Number(upstream[0]!.n)).toBe(1);
      for (const table of ['gerrit_patch_sets', 'ci_reports', 'gerrit_comments']) {
        expect(await count(db, table)).toBeGreaterThan(0);
        const late = await db.knex(table).where('created_at', '>=', end).count({ n: '*' });
        expect(Number(late[0]!.n), `${table} after the end`).toBe(0);
      }
      const stopped = story.tallies.at(-1)!;
      expect(stopped.reports).toBeGreaterThan(0);
      expect(stopped.lastReport!).toBeLessThan(SHAPE.end.getTime() - STOPPED_BEFORE_END_MS);
      const kinds = (await db.knex('gerrit_comments').distinct('kind')) as Row[];
      expect(kinds.map((k) => k.kind).sort()).toEqual(['recheck', 'report', 'unparsed']);
      const statuses = (await db.knex('gerrit_changes').distinct('status')) as Row[];
      expect(statuses.map((s) => s.status).sort()).toEqual(['ABANDONED', 'MERGED', 'NEW']);
      expect(story.eligible.reduce((a, b) => a + b, 0)).toBeLessThan(rows.gerrit_patch_sets);
      const perReport = rows.ci_builds / rows.ci_reports;
      expect(perReport).toBeGreaterThan(3);
      expect(perReport).toBeLessThan(15);
    });

    it("keeps ci_job_days and the records' jobs as the definition gives them", async () => {
      const days = await storedJobDays(db);
      expect(days.length).toBeGreaterThan(SHAPE.cis * SHAPE.days);
      expect(days).toEqual(jobDaysByDefinition(await storedBuilds(db)));
      const end = SHAPE.end.getTime();
      const day = 86_400_000;
      const windows = [
        { since: story.start, until: end },
        { since: end - 7 * day, until: end },
        // Parts of days at both ends, and reports after the end.
        { since: end - 5.5 * day, until: end - 2.25 * day },
      ];
      expect(await expectJobsAsDefined(db, windows)).toBeGreaterThan(0);
    });

    it("gives the figures the generator tallied (the whole history's window)", async () => {
      const figures = await ciFigures(db, { since: new Date(story.start), until: SHAPE.end });
      expect(figures.map((f) => f.ci).sort()).toEqual(story.cis.map((c) => c.account).sort());
      for (const f of figures) {
        const i = story.cis.findIndex((c) => c.account === f.ci);
        const tally = story.tallies[i]!;
        const eligible = [...tally.projects].reduce((n, p) => n + story.eligible[p]!, 0);
        expect(f, f.ci).toMatchObject({
          upstream: story.cis[i]!.upstream,
          reports: tally.reports,
          builds: tally.builds,
          unparsed: tally.unparsed,
          successRate: tally.verdicts === 0 ? null : tally.successes / tally.verdicts,
          eligible,
          coverage: eligible === 0 ? null : tally.reportedEligible / eligible,
          missed: eligible - tally.reportedEligible,
          lastReport: tally.lastReport === null ? null : toDate(tally.lastReport),
        });
      }
    });
  });
}
