/** Reading CI systems, reports and builds back. */
import type { Knex } from '@mikro-orm/knex';
import type { Database } from '../db/orm.js';
import { decodeCursor, pageSize, toPage, type Page, type PageRequest } from '../db/page.js';
import { cursorTime, timeParam, toDate } from '../db/sql.js';
import type { CiBuild, CiReport, CiReportFilter, CiSystem } from './ci.type.js';

type Row = Record<string, unknown>;
const dateOrNull = (v: unknown) => (v === null || v === undefined ? null : toDate(v));

const CI_COLUMNS = [
  'c.id',
  'a.key',
  'c.name',
  's.name as server',
  'c.upstream',
  'c.first_report_at',
  'c.last_report_at',
];

function cis(knex: Knex): Knex.QueryBuilder {
  return knex('ci_systems as c')
    .join('gerrit_accounts as a', 'a.id', 'c.account_id')
    .join('gerrit_servers as s', 's.id', 'a.server_id');
}

function ciOf(r: Row): CiSystem {
  return {
    rowId: Number(r.id),
    ci: String(r.key),
    name: String(r.name),
    server: String(r.server),
    upstream: Boolean(Number(r.upstream)),
    firstReportAt: dateOrNull(r.first_report_at),
    lastReportAt: dateOrNull(r.last_report_at),
  };
}

/** Every CI system (of one server, with one), upstream first, then by name. */
export async function listCiSystems(knex: Knex, server: string | null): Promise<CiSystem[]> {
  const q = cis(knex)
    .select(CI_COLUMNS)
    .orderBy([
      { column: 'c.upstream', order: 'desc' },
      { column: 'c.name', order: 'asc' },
      { column: 'c.id', order: 'asc' },
    ]);
  if (server) q.where('s.name', server);
  return ((await q) as Row[]).map(ciOf);
}

/** The CI systems whose account is `ci` (several servers may have one). */
export async function ciSystemsByAccount(
  knex: Knex,
  ci: string,
  server: string | null,
): Promise<CiSystem[]> {
  const q = cis(knex).select(CI_COLUMNS).where('a.key', ci).orderBy('c.id');
  if (server) q.where('s.name', server);
  return ((await q) as Row[]).map(ciOf);
}

export async function ciSystemsById(
  knex: Knex,
  ids: readonly number[],
): Promise<Map<number, CiSystem>> {
  const rows = (await cis(knex).select(CI_COLUMNS).whereIn('c.id', ids)) as Row[];
  return new Map(rows.map((r) => [Number(r.id), ciOf(r)]));
}

/** The columns {@link reportOf} reads, from {@link reports}. */
export const REPORT_COLUMNS = [
  'r.id',
  'r.ci_id',
  'r.patch_set_id',
  'p.name as project',
  'r.pipeline',
  'r.verdict',
  'r.vote',
  'r.created_at',
];

/** Reports (`r`) with their project (`p`). */
export function reports(knex: Knex): Knex.QueryBuilder {
  return knex('ci_reports as r').join('gerrit_projects as p', 'p.id', 'r.project_id');
}

export function reportOf(r: Row): CiReport {
  return {
    rowId: Number(r.id),
    id: String(r.id),
    ciId: Number(r.ci_id),
    patchSetId: Number(r.patch_set_id),
    project: String(r.project),
    pipeline: (r.pipeline as string | null) ?? null,
    verdict: (r.verdict as string | null) ?? null,
    vote: r.vote === null ? null : Number(r.vote),
    createdAt: toDate(r.created_at),
  };
}

/** Each patch set's reports, oldest first. */
export async function reportsByPatchSet(
  knex: Knex,
  ids: readonly number[],
): Promise<Map<number, CiReport[]>> {
  const rows = (await reports(knex)
    .select(REPORT_COLUMNS)
    .whereIn('r.patch_set_id', ids)
    .orderBy(['r.patch_set_id', 'r.created_at', 'r.id'])) as Row[];
  const found = new Map<number, CiReport[]>();
  for (const r of rows) {
    const report = reportOf(r);
    found.set(report.patchSetId, [...(found.get(report.patchSetId) ?? []), report]);
  }
  return found;
}

/** Reports matching the filter, newest first, one page. */
export async function listReports(
  db: Database,
  filter: CiReportFilter | undefined,
  page: PageRequest,
): Promise<Page<CiReport>> {
  const size = pageSize(page);
  const after = decodeCursor(page.after);
  const base = () => {
    const q = reports(db.knex);
    if (filter?.ci || filter?.server) {
      q.join('ci_systems as c', 'c.id', 'r.ci_id').join(
        'gerrit_accounts as a',
        'a.id',
        'c.account_id',
      );
      if (filter.ci) q.where('a.key', filter.ci);
      if (filter.server)
        q.join('gerrit_servers as s', 's.id', 'a.server_id').where('s.name', filter.server);
    }
    if (filter?.project) q.where('p.name', filter.project);
    if (filter?.verdict) q.where('r.verdict', filter.verdict);
    if (filter?.since) q.where('r.created_at', '>=', timeParam(db.dialect, filter.since));
    if (filter?.until) q.where('r.created_at', '<', timeParam(db.dialect, filter.until));
    return q;
  };
  const query = base().select(REPORT_COLUMNS);
  if (after) {
    const [at, id] = after;
    query.where((q) =>
      q
        .where('r.created_at', '<', at!)
        .orWhere((q2) => q2.where('r.created_at', '=', at!).andWhere('r.id', '<', id!)),
    );
  }
  const rows = (await query
    .orderBy([
      { column: 'r.created_at', order: 'desc' },
      { column: 'r.id', order: 'desc' },
    ])
    .limit(size + 1)) as Row[];
  return toPage(
    rows,
    size,
    (r) => [cursorTime(db.dialect, r.created_at), Number(r.id)],
    reportOf,
    async () => Number(((await base().count({ n: '*' })) as Row[])[0]!.n),
  );
}

export async function reportsById(
  knex: Knex,
  ids: readonly number[],
): Promise<Map<number, CiReport>> {
  const rows = (await reports(knex).select(REPORT_COLUMNS).whereIn('r.id', ids)) as Row[];
  return new Map(rows.map((r) => [Number(r.id), reportOf(r)]));
}

function buildOf(r: Row): CiBuild & { reportId: number } {
  return {
    rowId: Number(r.id),
    reportId: Number(r.report_id),
    runId: r.run_id === null ? null : Number(r.run_id),
    job: String(r.job),
    logUrl: (r.log_url as string | null) ?? null,
    result: String(r.result),
    detail: (r.detail as string | null) ?? null,
    duration: r.duration === null ? null : Number(r.duration),
    voting: Boolean(Number(r.voting)),
  };
}

/** Each report's builds, in the order of its lines. */
export async function buildsByReport(
  knex: Knex,
  ids: readonly number[],
): Promise<Map<number, CiBuild[]>> {
  const rows = (await knex('ci_builds').whereIn('report_id', ids).orderBy('id')) as Row[];
  const found = new Map<number, CiBuild[]>();
  for (const r of rows) {
    const build = buildOf(r);
    found.set(build.reportId, [...(found.get(build.reportId) ?? []), build]);
  }
  return found;
}

/** The build each run is linked to (the first, when several name its URL), with its report. */
export async function buildsByRun(
  knex: Knex,
  runIds: readonly number[],
): Promise<Map<number, CiBuild & { reportId: number }>> {
  const rows = (await knex('ci_builds').whereIn('run_id', runIds).orderBy('id')) as Row[];
  const found = new Map<number, CiBuild & { reportId: number }>();
  for (const r of rows) if (!found.has(Number(r.run_id))) found.set(Number(r.run_id), buildOf(r));
  return found;
}
