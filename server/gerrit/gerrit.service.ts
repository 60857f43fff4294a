/** Reading the Gerrit model back: servers, projects, accounts, changes, patch sets. */
import type { Knex } from '@mikro-orm/knex';
import type { Database } from '../db/orm.js';
import { decodeCursor, pageSize, toPage, type Page, type PageRequest } from '../db/page.js';
import { cursorTime, timeParam, toDate } from '../db/sql.js';
import { GatewatchError } from '../errors.js';
import type {
  GerritAccount,
  GerritChange,
  GerritPatchSet,
  GerritProject,
  GerritServer,
} from './gerrit.type.js';

type Row = Record<string, unknown>;
const dateOrNull = (v: unknown) => (v === null || v === undefined ? null : toDate(v));

/** Where the filters of changes and patch sets narrow a query. */
export interface GerritScope {
  server?: string | null;
  project?: string | null;
  status?: string | null;
  since?: Date | null;
  until?: Date | null;
}

export async function listServers(knex: Knex): Promise<GerritServer[]> {
  const rows = (await knex('gerrit_servers').orderBy('name')) as Row[];
  return rows.map((r) => ({
    rowId: Number(r.id),
    name: String(r.name),
    url: String(r.url),
    lastEventAt: dateOrNull(r.last_event_at),
  }));
}

/** Projects by name (server, then name), one page. */
export async function listProjects(
  db: Database,
  filter: { server?: string | null; nameContains?: string | null },
  page: PageRequest,
): Promise<Page<GerritProject>> {
  const size = pageSize(page);
  const after = decodeCursor(page.after);
  const base = () => {
    const q = db.knex('gerrit_projects as p').join('gerrit_servers as s', 's.id', 'p.server_id');
    if (filter.server) q.where('s.name', filter.server);
    if (filter.nameContains) q.where('p.name', 'like', `%${escapeLike(filter.nameContains)}%`);
    return q;
  };
  const query = base().select('p.id', 'p.name', 's.name as server');
  if (after) query.where('p.id', '>', after[0]!);
  const rows = (await query.orderBy('p.id').limit(size + 1)) as Row[];
  return toPage(
    rows,
    size,
    (r) => [Number(r.id)],
    (r) => ({ rowId: Number(r.id), name: String(r.name), server: String(r.server) }),
    async () => Number(((await base().count({ n: '*' })) as Row[])[0]!.n),
  );
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const CHANGE_COLUMNS = [
  'c.id',
  'c.number',
  's.name as server',
  'p.name as project',
  'c.branch',
  'c.subject',
  'c.owner_id',
  'c.status',
  'c.created_at',
  'c.updated_at',
];

function changeOf(r: Row): GerritChange {
  return {
    rowId: Number(r.id),
    ownerId: r.owner_id === null ? null : Number(r.owner_id),
    number: Number(r.number),
    server: String(r.server),
    project: String(r.project),
    branch: String(r.branch),
    subject: (r.subject as string | null) ?? null,
    status: (r.status as string | null) ?? null,
    createdAt: dateOrNull(r.created_at),
    updatedAt: toDate(r.updated_at),
  };
}

function changes(knex: Knex): Knex.QueryBuilder {
  return knex('gerrit_changes as c')
    .join('gerrit_servers as s', 's.id', 'c.server_id')
    .join('gerrit_projects as p', 'p.id', 'c.project_id');
}

/** A change by number; `server` is needed only when several servers have that number. */
export async function changeByNumber(
  knex: Knex,
  number: number,
  server: string | null,
): Promise<GerritChange | null> {
  const q = changes(knex).select(CHANGE_COLUMNS).where('c.number', number).limit(2);
  if (server) q.where('s.name', server);
  const rows = (await q) as Row[];
  if (rows.length > 1) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `change ${number} exists on several Gerrit servers: give server`,
    );
  }
  return rows[0] ? changeOf(rows[0]) : null;
}

export async function changesById(
  knex: Knex,
  ids: readonly number[],
): Promise<Map<number, GerritChange>> {
  const rows = (await changes(knex).select(CHANGE_COLUMNS).whereIn('c.id', ids)) as Row[];
  return new Map(rows.map((r) => [Number(r.id), changeOf(r)]));
}

/** Changes, the most recently updated first, one page. */
export async function listChanges(
  db: Database,
  filter: GerritScope,
  page: PageRequest,
): Promise<Page<GerritChange>> {
  const size = pageSize(page);
  const after = decodeCursor(page.after);
  const base = () => {
    const q = changes(db.knex);
    if (filter.server) q.where('s.name', filter.server);
    if (filter.project) q.where('p.name', filter.project);
    if (filter.status) q.where('c.status', filter.status);
    if (filter.since) q.where('c.updated_at', '>=', timeParam(db.dialect, filter.since));
    if (filter.until) q.where('c.updated_at', '<', timeParam(db.dialect, filter.until));
    return q;
  };
  const query = base().select(CHANGE_COLUMNS);
  keysetAfter(query, 'c.updated_at', 'c.id', after);
  const rows = (await query
    .orderBy([
      { column: 'c.updated_at', order: 'desc' },
      { column: 'c.id', order: 'desc' },
    ])
    .limit(size + 1)) as Row[];
  return toPage(
    rows,
    size,
    (r) => [cursorTime(db.dialect, r.updated_at), Number(r.id)],
    changeOf,
    async () => Number(((await base().count({ n: '*' })) as Row[])[0]!.n),
  );
}

const PATCH_SET_COLUMNS = [
  'ps.id',
  'ps.change_id',
  'ps.number',
  'c.number as change_number',
  'p.name as project',
  'ps.revision',
  'ps.created_at',
  'ps.uploader_id',
  'ps.kind',
  'ps.commit_message',
  'ps.superseded_at',
  'ps.merged_at',
  'ps.abandoned_at',
];

function patchSetOf(r: Row): GerritPatchSet {
  return {
    rowId: Number(r.id),
    changeId: Number(r.change_id),
    uploaderId: r.uploader_id === null ? null : Number(r.uploader_id),
    number: Number(r.number),
    changeNumber: Number(r.change_number),
    project: String(r.project),
    revision: (r.revision as string | null) ?? null,
    createdAt: toDate(r.created_at),
    kind: (r.kind as string | null) ?? null,
    commitMessage: (r.commit_message as string | null) ?? null,
    supersededAt: dateOrNull(r.superseded_at),
    mergedAt: dateOrNull(r.merged_at),
    abandonedAt: dateOrNull(r.abandoned_at),
  };
}

function patchSets(knex: Knex): Knex.QueryBuilder {
  return knex('gerrit_patch_sets as ps')
    .join('gerrit_changes as c', 'c.id', 'ps.change_id')
    .join('gerrit_projects as p', 'p.id', 'ps.project_id');
}

export async function patchSetsById(
  knex: Knex,
  ids: readonly number[],
): Promise<Map<number, GerritPatchSet>> {
  const rows = (await patchSets(knex).select(PATCH_SET_COLUMNS).whereIn('ps.id', ids)) as Row[];
  return new Map(rows.map((r) => [Number(r.id), patchSetOf(r)]));
}

/** Each change's patch sets, by number. */
export async function patchSetsByChange(
  knex: Knex,
  changeIds: readonly number[],
): Promise<Map<number, GerritPatchSet[]>> {
  const rows = (await patchSets(knex)
    .select(PATCH_SET_COLUMNS)
    .whereIn('ps.change_id', changeIds)
    .orderBy(['ps.change_id', 'ps.number'])) as Row[];
  const found = new Map<number, GerritPatchSet[]>();
  for (const r of rows) {
    const ps = patchSetOf(r);
    found.set(ps.changeId, [...(found.get(ps.changeId) ?? []), ps]);
  }
  return found;
}

/** Patch sets, the newest first (what the CI matrix pages through), one page. */
export async function listPatchSets(
  db: Database,
  filter: GerritScope,
  page: PageRequest,
): Promise<Page<GerritPatchSet>> {
  const size = pageSize(page);
  const after = decodeCursor(page.after);
  const base = () => {
    const q = patchSets(db.knex);
    if (filter.server)
      q.join('gerrit_servers as s', 's.id', 'c.server_id').where('s.name', filter.server);
    if (filter.project) q.where('p.name', filter.project);
    if (filter.since) q.where('ps.created_at', '>=', timeParam(db.dialect, filter.since));
    if (filter.until) q.where('ps.created_at', '<', timeParam(db.dialect, filter.until));
    return q;
  };
  const query = base().select(PATCH_SET_COLUMNS);
  keysetAfter(query, 'ps.created_at', 'ps.id', after);
  const rows = (await query
    .orderBy([
      { column: 'ps.created_at', order: 'desc' },
      { column: 'ps.id', order: 'desc' },
    ])
    .limit(size + 1)) as Row[];
  return toPage(
    rows,
    size,
    (r) => [cursorTime(db.dialect, r.created_at), Number(r.id)],
    patchSetOf,
    async () => Number(((await base().count({ n: '*' })) as Row[])[0]!.n),
  );
}

export async function accountsById(
  knex: Knex,
  ids: readonly number[],
): Promise<Map<number, GerritAccount>> {
  const rows = (await knex('gerrit_accounts').whereIn('id', ids)) as Row[];
  return new Map(
    rows.map((r) => [
      Number(r.id),
      {
        rowId: Number(r.id),
        key: String(r.key),
        username: (r.username as string | null) ?? null,
        name: (r.name as string | null) ?? null,
        email: (r.email as string | null) ?? null,
        accountId: r.account_id === null ? null : Number(r.account_id),
      },
    ]),
  );
}

/** Rows after the cursor's (time, id) in a (time desc, id desc) order. */
function keysetAfter(
  query: Knex.QueryBuilder,
  time: string,
  id: string,
  after: (string | number)[] | undefined,
): void {
  if (!after) return;
  const [at, rowId] = after;
  query.where((q) =>
    q.where(time, '<', at!).orWhere((q2) => q2.where(time, '=', at!).andWhere(id, '<', rowId!)),
  );
}
