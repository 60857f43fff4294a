/**
 * The CI matrix of a project (README "CI health figures"): its patch sets created in a window,
 * newest first and keyset-paged, × its CI systems; each cell the CI's reports on the patch set
 * made before the window's end, their count and the newest. Three reads whatever the page: the
 * columns, the page of patch sets, and the reports of that page's cells.
 */
import type { Knex } from '@mikro-orm/knex';
import type { Database } from '../db/orm.js';
import { decodeCursor, pageSize, toPage, type Page, type PageRequest } from '../db/page.js';
import { cursorTime, timeParam } from '../db/sql.js';
import { GatewatchError } from '../errors.js';
import { ciSystemsById, REPORT_COLUMNS, reportOf, reports } from './ci.service.js';
import type { CiReport, CiSystem } from './ci.type.js';

/** The longest window a matrix is asked over. */
export const MAX_MATRIX_WINDOW_MS = 90 * 86_400_000;
/** The most CI columns a matrix has. */
export const MAX_MATRIX_CIS = 100;
const DEFAULT_WINDOW_MS = 86_400_000;
const MAX_NAME = 255;

export interface MatrixRequest {
  readonly project: string;
  /** The Gerrit server; needed when the project's name is on several. */
  readonly server?: string | null;
  /** Default: 24 hours before `until`. */
  readonly since?: Date | null;
  /** Default: now. */
  readonly until?: Date | null;
  /** The columns, by account; default every CI that reported on the project in the window. */
  readonly cis?: readonly string[] | null;
  readonly page: PageRequest;
}

export interface MatrixCell {
  readonly ciId: number;
  readonly ci: string;
  readonly reports: number;
  readonly latest: CiReport | null;
}

export interface MatrixRow {
  readonly patchSetId: number;
  readonly cells: MatrixCell[];
}

export interface Matrix {
  readonly project: string;
  readonly server: string;
  readonly since: Date;
  readonly until: Date;
  readonly cis: CiSystem[];
  readonly rows: Page<MatrixRow>;
}

type Row = Record<string, unknown>;

/** The window asked, defaulted and checked: `since` before `until`, at most `maxMs` long. */
export function healthWindow(
  since: Date | null | undefined,
  until: Date | null | undefined,
  maxMs: number,
  maxText: string,
): { since: Date; until: Date } {
  const end = until ?? new Date();
  const start = since ?? new Date(end.getTime() - DEFAULT_WINDOW_MS);
  if (start >= end) throw new GatewatchError('BAD_ARGUMENT', 'since must be before until');
  if (end.getTime() - start.getTime() > maxMs) {
    throw new GatewatchError('BAD_ARGUMENT', `the window is at most ${maxText}`);
  }
  return { since: start, until: end };
}

/** A name argument checked: 1–255 characters. */
export function checkName(what: string, value: string): string {
  if (value === '' || value.length > MAX_NAME) {
    throw new GatewatchError('BAD_ARGUMENT', `${what}: a name of 1–${MAX_NAME} characters`);
  }
  return value;
}

/** The project named, on the server named (or the only server that has it). */
export async function findProject(
  knex: Knex,
  project: string,
  server: string | null,
): Promise<{ id: number; serverId: number; server: string }> {
  checkName('project', project);
  if (server !== null) checkName('server', server);
  const q = knex('gerrit_projects as p')
    .join('gerrit_servers as s', 's.id', 'p.server_id')
    .select('p.id', 'p.server_id', 's.name as server')
    .where('p.name', project)
    .orderBy('s.name');
  if (server !== null) q.where('s.name', server);
  const found = (await q) as Row[];
  if (found.length === 0) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `no project ${JSON.stringify(project)}${server === null ? '' : ` on server ${JSON.stringify(server)}`}`,
    );
  }
  if (found.length > 1) {
    const servers = found.map((r) => String(r.server)).join(', ');
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `project ${JSON.stringify(project)} is on several Gerrit servers (${servers}): give server`,
    );
  }
  const [p] = found as [Row];
  return { id: Number(p.id), serverId: Number(p.server_id), server: String(p.server) };
}

/** CI systems in the order every CI list has: upstream first, then by name, then by id. */
export function byUpstreamThenName(a: CiSystem, b: CiSystem): number {
  return (
    Number(b.upstream) - Number(a.upstream) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : a.rowId - b.rowId)
  );
}

export async function ciMatrix(db: Database, request: MatrixRequest): Promise<Matrix> {
  const { knex, dialect } = db;
  const { since, until } = healthWindow(
    request.since,
    request.until,
    MAX_MATRIX_WINDOW_MS,
    '90 days',
  );
  const size = pageSize(request.page);
  const after = decodeCursor(request.page.after);
  const project = await findProject(knex, request.project, request.server ?? null);
  const cis = await matrixColumns(db, project, since, until, request.cis ?? null);

  const patchSets = () =>
    knex('gerrit_patch_sets')
      .where('project_id', project.id)
      .where('created_at', '>=', timeParam(dialect, since))
      .where('created_at', '<', timeParam(dialect, until));
  const query = patchSets().select('id', 'created_at');
  if (after) {
    const [at, id] = after;
    query.where((q) =>
      q
        .where('created_at', '<', at!)
        .orWhere((q2) => q2.where('created_at', '=', at!).andWhere('id', '<', id!)),
    );
  }
  const rows = (await query
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(size + 1)) as Row[];

  const cells = await matrixCells(
    db,
    rows.slice(0, size).map((r) => Number(r.id)),
    cis.map((c) => c.rowId),
    until,
  );
  const rowOf = (r: Row): MatrixRow => ({
    patchSetId: Number(r.id),
    cells: cis.map((c) => {
      const reports = cells.get(`${Number(r.id)}:${c.rowId}`);
      return {
        ciId: c.rowId,
        ci: c.ci,
        reports: reports?.count ?? 0,
        latest: reports?.latest ?? null,
      };
    }),
  });
  return {
    project: request.project,
    server: project.server,
    since,
    until,
    cis,
    rows: toPage(
      rows,
      size,
      (r) => [cursorTime(dialect, r.created_at), Number(r.id)],
      rowOf,
      async () => Number(((await patchSets().count({ n: '*' })) as Row[])[0]!.n),
    ),
  };
}

/** The CIs asked for (on the project's server), else those that reported on it in the window. */
async function matrixColumns(
  db: Database,
  project: { id: number; serverId: number },
  since: Date,
  until: Date,
  asked: readonly string[] | null,
): Promise<CiSystem[]> {
  const { knex, dialect } = db;
  let ids: number[];
  if (asked !== null) {
    if (asked.length > MAX_MATRIX_CIS) {
      throw new GatewatchError(
        'BAD_ARGUMENT',
        `cis: at most ${MAX_MATRIX_CIS} CIs, got ${asked.length}`,
      );
    }
    for (const ci of asked) checkName('cis', ci);
    const found = (await knex('ci_systems as c')
      .join('gerrit_accounts as a', 'a.id', 'c.account_id')
      .where('a.server_id', project.serverId)
      .whereIn('a.key', [...new Set(asked)])
      .select('c.id', 'a.key')) as Row[];
    const known = new Set(found.map((r) => String(r.key)));
    const unknown = asked.filter((ci) => !known.has(ci));
    if (unknown.length > 0) {
      throw new GatewatchError(
        'BAD_ARGUMENT',
        `cis: no CI ${unknown.map((ci) => JSON.stringify(ci)).join(', ')} on this project's server`,
      );
    }
    ids = found.map((r) => Number(r.id));
  } else {
    const reported = (await knex('ci_reports')
      .distinct('ci_id')
      .where('project_id', project.id)
      .where('created_at', '>=', timeParam(dialect, since))
      .where('created_at', '<', timeParam(dialect, until))) as Row[];
    ids = reported.map((r) => Number(r.ci_id));
  }
  const systems = await ciSystemsById(knex, ids);
  return [...systems.values()].sort(byUpstreamThenName).slice(0, MAX_MATRIX_CIS);
}

/** Per `patchSetId:ciId`: the reports made before `until`, how many and the newest. */
async function matrixCells(
  db: Database,
  patchSetIds: readonly number[],
  ciIds: readonly number[],
  until: Date,
): Promise<Map<string, { count: number; latest: CiReport }>> {
  const cells = new Map<string, { count: number; latest: CiReport }>();
  if (patchSetIds.length === 0 || ciIds.length === 0) return cells;
  const rows = (await reports(db.knex)
    .select(REPORT_COLUMNS)
    .whereIn('r.patch_set_id', patchSetIds)
    .whereIn('r.ci_id', ciIds)
    .where('r.created_at', '<', timeParam(db.dialect, until))
    .orderBy(['r.created_at', 'r.id'])) as Row[];
  // Oldest first: the last one seen for a cell is its newest.
  for (const r of rows) {
    const report = reportOf(r);
    const key = `${report.patchSetId}:${report.ciId}`;
    cells.set(key, { count: (cells.get(key)?.count ?? 0) + 1, latest: report });
  }
  return cells;
}
