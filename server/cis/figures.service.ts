/**
 * The core CI health figures (radar's, made exact), per CI over a window, in SQL on either
 * dialect:
 * - `reports`: the CI's comments in the window that parsed as results; `builds` their job lines
 *   (over every project, the window's whole UTC days summed from `ci_job_days`);
 * - `unparsed`: its comments in the window that did not parse;
 * - `successRate`: reports whose verdict is SUCCESS ÷ reports with a verdict;
 * - a CI covers a project once it has reported on it in the window; a patch set is eligible when
 *   created in the window, in a covered project, and not superseded by the next patch set within
 *   3 h of its creation; `coverage` = eligible patch sets it reported on (before the window's
 *   end) ÷ eligible patch sets; `missed` = eligible patch sets it did not report on;
 * - `lastReport`: its newest report before the window's end (in the project, with one).
 */
import type { Knex } from '@mikro-orm/knex';
import type { Database } from '../db/orm.js';
import { rawRows } from '../db/rows.js';
import { timeParam, toDate, utcDay } from '../db/sql.js';
import { eligiblePatchSets, projectNamed, type EligibleScope } from './eligibility.js';
import { daySpans } from './job-days.js';

export interface FigureWindow {
  readonly since: Date;
  readonly until: Date;
  /** Only this project (its name, on any server). */
  readonly project?: string | null;
  /** Only this CI (its row id). */
  readonly ciId?: number | null;
}

export interface CiFigures {
  readonly ciId: number;
  /** The CI's account: its username (or `email:…` when Gerrit sent none). */
  readonly ci: string;
  readonly name: string;
  readonly server: string;
  readonly upstream: boolean;
  readonly reports: number;
  readonly builds: number;
  readonly unparsed: number;
  /** null when no report in the window has a verdict. */
  readonly successRate: number | null;
  readonly eligible: number;
  /** null when no patch set is eligible. */
  readonly coverage: number | null;
  readonly missed: number;
  readonly lastReport: Date | null;
}

type Row = Record<string, unknown>;

/**
 * Every CI's figures over the window (with a project, the CIs that ever reported on it; with a
 * CI, that one only), upstream first, then by name.
 */
export async function ciFigures(db: Database, window: FigureWindow): Promise<CiFigures[]> {
  const { knex, dialect } = db;
  const since = timeParam(dialect, window.since);
  const until = timeParam(dialect, window.until);
  const project = window.project ?? null;
  const ciId = window.ciId ?? null;
  const ofCi = (q: Knex.QueryBuilder, column: string) =>
    ciId === null ? q : q.where(column, ciId);
  const inProject = (q: Knex.QueryBuilder, column: string) => {
    if (project !== null) {
      q.whereIn(column, knex('gerrit_projects').select('id').where('name', project));
    }
    return q;
  };
  const inWindow = (q: Knex.QueryBuilder, column: string) =>
    q.where(column, '>=', since).andWhere(column, '<', until);

  const cis = (await ofCi(knex('ci_systems as c'), 'c.id')
    .join('gerrit_accounts as a', 'a.id', 'c.account_id')
    .join('gerrit_servers as s', 's.id', 'a.server_id')
    .select('c.id', 'a.key', 'c.name', 'c.upstream', 's.name as server')
    .modify((q) => {
      if (project !== null) {
        q.whereIn('c.id', inProject(knex('ci_reports').distinct('ci_id'), 'project_id'));
      }
    })) as Row[];

  const reports = byCi(
    (await inWindow(
      ofCi(inProject(knex('ci_reports as r'), 'r.project_id'), 'r.ci_id'),
      'r.created_at',
    )
      .groupBy('r.ci_id')
      .select(
        'r.ci_id',
        knex.raw('count(*) as reports'),
        knex.raw("sum(case when r.verdict = 'SUCCESS' then 1 else 0 end) as successes"),
        knex.raw('sum(case when r.verdict is not null then 1 else 0 end) as verdicts'),
      )) as Row[],
  );
  // ci_job_days has no project: over every project, its whole days come from there.
  const { days, edges } =
    project === null
      ? daySpans(window.since, window.until)
      : { days: null, edges: [{ from: window.since, to: window.until }] };
  const builds = new Map<number, number>();
  const addBuilds = (rows: Row[]) => {
    for (const r of rows) {
      const id = Number(r.ci_id);
      builds.set(id, (builds.get(id) ?? 0) + Number(r.builds));
    }
  };
  if (days) {
    addBuilds(
      (await ofCi(knex('ci_job_days as d'), 'd.ci_id')
        .where('d.day', '>=', utcDay(days.from))
        .andWhere('d.day', '<', utcDay(days.to))
        .groupBy('d.ci_id')
        .select('d.ci_id', knex.raw('sum(d.builds) as builds'))) as Row[],
    );
  }
  for (const span of edges) {
    addBuilds(
      (await ofCi(
        inProject(
          knex('ci_builds as b').join('ci_reports as r', 'r.id', 'b.report_id'),
          'r.project_id',
        ),
        'r.ci_id',
      )
        .where('r.created_at', '>=', timeParam(dialect, span.from))
        .andWhere('r.created_at', '<', timeParam(dialect, span.to))
        .groupBy('r.ci_id')
        .select('r.ci_id', knex.raw('count(*) as builds'))) as Row[],
    );
  }
  const unparsed = byCi(
    (await inWindow(
      ofCi(
        inProject(
          knex('gerrit_comments as m')
            .join('ci_systems as c', 'c.account_id', 'm.author_id')
            .join('gerrit_patch_sets as ps', 'ps.id', 'm.patch_set_id')
            .where('m.kind', 'unparsed'),
          'ps.project_id',
        ),
        'c.id',
      ),
      'm.created_at',
    )
      .groupBy('c.id')
      .select('c.id as ci_id', knex.raw('count(*) as unparsed'))) as Row[],
  );
  const coverage = byCi(
    await coverageRows(db, {
      since: window.since,
      until: window.until,
      projects: project === null ? null : projectNamed(project),
      ciId,
    }),
  );
  const last = byCi(
    (await ofCi(inProject(knex('ci_reports as r'), 'r.project_id'), 'r.ci_id')
      .where('r.created_at', '<', until)
      .groupBy('r.ci_id')
      .select('r.ci_id', knex.raw('max(r.created_at) as last_report'))) as Row[],
  );

  const figures = cis.map((c): CiFigures => {
    const id = Number(c.id);
    const r = reports.get(id);
    const cov = coverage.get(id);
    const eligible = Number(cov?.eligible ?? 0);
    const reported = Number(cov?.reported ?? 0);
    const verdicts = Number(r?.verdicts ?? 0);
    const lastReport = last.get(id)?.last_report;
    return {
      ciId: id,
      ci: String(c.key),
      name: String(c.name),
      server: String(c.server),
      upstream: Boolean(Number(c.upstream)),
      reports: Number(r?.reports ?? 0),
      builds: builds.get(id) ?? 0,
      unparsed: Number(unparsed.get(id)?.unparsed ?? 0),
      successRate: verdicts === 0 ? null : Number(r!.successes) / verdicts,
      eligible,
      coverage: eligible === 0 ? null : reported / eligible,
      missed: eligible - reported,
      lastReport: lastReport === null || lastReport === undefined ? null : toDate(lastReport),
    };
  });
  return figures.sort(
    (a, b) =>
      Number(b.upstream) - Number(a.upstream) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : a.ciId - b.ciId),
  );
}

/**
 * Per CI (and per project it covers, with `byProject`): its eligible patch sets and how many of
 * them it reported on — `ci_id`, [`project_id`,] `eligible`, `reported`.
 */
export function coverageRows(
  db: Database,
  scope: EligibleScope,
  byProject = false,
): Promise<Row[]> {
  const { from, reported } = eligiblePatchSets(db.dialect, scope);
  const keys = byProject ? 'cv.ci_id, cv.project_id' : 'cv.ci_id';
  return rawRows(
    db.knex,
    db.dialect,
    `select ${keys}, count(*) as eligible,
      sum(case when ${reported.sql} then 1 else 0 end) as reported
    ${from.sql}
    group by ${keys}`,
    [...reported.bindings, ...from.bindings],
  );
}

function byCi(rows: Row[]): Map<number, Row> {
  return new Map(rows.map((r) => [Number(r.ci_id), r]));
}
