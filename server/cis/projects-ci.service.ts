/**
 * Who has CI (README "CI health figures"): per project with patch sets or reports in the window
 * or in the window of the same length before it, its patch sets created in the window, the CIs
 * that reported on it in the window (reports, coverage as `ciFigures` with the project counts
 * it, last report), and those that stopped: reported in the previous window, not in this one
 * (their figures those of the previous window, their last report the newest before `since`).
 * Grouped reads over every project at once, so the cost does not grow with the projects.
 */
import type { Knex } from '@mikro-orm/knex';
import type { Database } from '../db/orm.js';
import { groupBy } from '../db/rows.js';
import { timeParam, toDate } from '../db/sql.js';
import { GatewatchError } from '../errors.js';
import { ciSystemsById } from './ci.service.js';
import type { CiSystem } from './ci.type.js';
import type { SqlPart } from './eligibility.js';
import { coverageRows } from './figures.service.js';
import { byUpstreamThenName, checkName, healthWindow } from './matrix.service.js';
import { MAX_WINDOW_MS } from './window.js';

export interface ProjectsCiRequest {
  /** Only this Gerrit server's projects. */
  readonly server?: string | null;
  /** Only this project (its name, on any server unless `server` is given). */
  readonly project?: string | null;
  /** Default: 24 hours before `until`. */
  readonly since?: Date | null;
  /** Default: now. */
  readonly until?: Date | null;
}

export interface ProjectCiEntry {
  readonly ciId: number;
  readonly ci: CiSystem;
  readonly reports: number;
  readonly coverage: number | null;
  readonly lastReport: Date | null;
}

export interface ProjectCi {
  readonly project: string;
  readonly server: string;
  readonly patchSets: number;
  readonly cis: ProjectCiEntry[];
  readonly stopped: ProjectCiEntry[];
}

type Row = Record<string, unknown>;
const dateOrNull = (v: unknown) => (v === null || v === undefined ? null : toDate(v));

/** Who has CI on each project in scope, by server then project name. */
export async function projectsCi(db: Database, request: ProjectsCiRequest): Promise<ProjectCi[]> {
  const { knex, dialect } = db;
  const { since, until } = healthWindow(request.since, request.until, MAX_WINDOW_MS, 'ten years');
  const previous = new Date(since.getTime() - (until.getTime() - since.getTime()));
  const scope = scopeOf(request.server ?? null, request.project ?? null);
  const inScope = (q: Knex.QueryBuilder, column: string) =>
    scope === null ? q : q.whereRaw(`${column} in (${scope.sql})`, [...scope.bindings]);
  const [t0, t1, t2] = [previous, since, until].map((d) => timeParam(dialect, d));

  const projects = (await inScope(
    knex('gerrit_projects as p').join('gerrit_servers as s', 's.id', 'p.server_id'),
    'p.id',
  ).select('p.id', 'p.name', 's.name as server')) as Row[];
  if (scope !== null && projects.length === 0) {
    const named = [
      request.project == null ? '' : `project ${JSON.stringify(request.project)}`,
      request.server == null ? '' : `server ${JSON.stringify(request.server)}`,
    ];
    throw new GatewatchError('BAD_ARGUMENT', `no ${named.filter(Boolean).join(' on ')}`);
  }

  const patchSets = (await inScope(knex('gerrit_patch_sets'), 'project_id')
    .where('created_at', '>=', t0!)
    .where('created_at', '<', t2!)
    .groupBy('project_id')
    .select(
      'project_id',
      knex.raw('sum(case when created_at >= ? then 1 else 0 end) as in_window', [t1!]),
    )) as Row[];
  const reports = (await inScope(knex('ci_reports'), 'project_id')
    .where('created_at', '>=', t0!)
    .where('created_at', '<', t2!)
    .groupBy('project_id', 'ci_id')
    .select(
      'project_id',
      'ci_id',
      knex.raw('sum(case when created_at >= ? then 1 else 0 end) as in_window', [t1!]),
      knex.raw('sum(case when created_at < ? then 1 else 0 end) as in_previous', [t1!]),
      knex.raw('max(created_at) as last_report'),
      knex.raw('max(case when created_at < ? then created_at end) as last_before', [t1!]),
    )) as Row[];
  const key = (r: Row) => `${Number(r.project_id)}:${Number(r.ci_id)}`;
  const coverageNow = new Map(
    (await coverageRows(db, { since, until, projects: scope, ciId: null }, true)).map((r) => [
      key(r),
      r,
    ]),
  );
  const coverageBefore = new Map(
    (
      await coverageRows(db, { since: previous, until: since, projects: scope, ciId: null }, true)
    ).map((r) => [key(r), r]),
  );
  const systems = await ciSystemsById(knex, [...new Set(reports.map((r) => Number(r.ci_id)))]);

  const reportsOf = groupBy(
    reports,
    (r) => Number(r.project_id),
    (r) => r,
  );
  const coverageOf = (row: Row | undefined) =>
    row === undefined || Number(row.eligible) === 0
      ? null
      : Number(row.reported) / Number(row.eligible);
  const entriesOf = (projectId: number) => {
    const cis: ProjectCiEntry[] = [];
    const stopped: ProjectCiEntry[] = [];
    for (const r of reportsOf.get(projectId) ?? []) {
      const ci = systems.get(Number(r.ci_id))!;
      if (Number(r.in_window) > 0) {
        cis.push({
          ciId: ci.rowId,
          ci,
          reports: Number(r.in_window),
          coverage: coverageOf(coverageNow.get(key(r))),
          lastReport: dateOrNull(r.last_report),
        });
      } else {
        stopped.push({
          ciId: ci.rowId,
          ci,
          reports: Number(r.in_previous),
          coverage: coverageOf(coverageBefore.get(key(r))),
          lastReport: dateOrNull(r.last_before),
        });
      }
    }
    const order = (a: ProjectCiEntry, b: ProjectCiEntry) => byUpstreamThenName(a.ci, b.ci);
    return { cis: cis.sort(order), stopped: stopped.sort(order) };
  };

  const patchSetsIn = new Map(patchSets.map((r) => [Number(r.project_id), Number(r.in_window)]));
  const active = new Set([...patchSetsIn.keys(), ...reports.map((r) => Number(r.project_id))]);
  return projects
    .filter((p) => active.has(Number(p.id)))
    .map((p) => ({
      project: String(p.name),
      server: String(p.server),
      patchSets: patchSetsIn.get(Number(p.id)) ?? 0,
      ...entriesOf(Number(p.id)),
    }))
    .sort((a, b) => compare(a.server, b.server) || compare(a.project, b.project));
}

/** The projects asked for, as a subquery; null for every project. */
function scopeOf(server: string | null, project: string | null): SqlPart | null {
  const conditions: string[] = [];
  const bindings: string[] = [];
  if (server !== null) {
    conditions.push('s.name = ?');
    bindings.push(checkName('server', server));
  }
  if (project !== null) {
    conditions.push('p.name = ?');
    bindings.push(checkName('project', project));
  }
  if (conditions.length === 0) return null;
  return {
    sql: `select p.id from gerrit_projects p join gerrit_servers s on s.id = p.server_id where ${conditions.join(' and ')}`,
    bindings,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
