/** The accounts, projects and changes of a batch of Gerrit events (see store-batch.ts). */
import type { GerritAccount, StoredEvent } from './events.js';
import type { WriteContext } from './report-writer.js';
import { accountKey, bindTime, cut, eventDate, selectIn } from './store-sql.js';

/** The accounts an event names; a comment's author always (`unknown` when Gerrit sent none). */
function accountsOf(event: StoredEvent): (GerritAccount | undefined)[] {
  const named = [event.change.owner, event.patchSet.uploader];
  if (event.type === 'patchset-created') named.push(event.uploader);
  const list: (GerritAccount | undefined)[] = named.filter((a) => a !== undefined);
  if (event.type === 'comment-added') list.push(event.author);
  return list;
}

/** Account id by key, every account the events name upserted (details kept when new ones lack them). */
export async function writeAccounts(
  ctx: WriteContext,
  events: readonly StoredEvent[],
): Promise<Map<string, number>> {
  const merged = new Map<string, GerritAccount>();
  for (const event of events) {
    for (const account of accountsOf(event)) {
      const key = accountKey(account);
      const seen = merged.get(key);
      merged.set(key, { ...account, ...stripUndefined(seen) });
    }
  }
  const rows = [...merged].map(([key, a]) => [
    ctx.serverId,
    key,
    cut(a.username, 255),
    cut(a.name, 255),
    cut(a.email, 255),
    Number.isInteger(a.accountId) ? a.accountId : null,
  ]);
  await ctx.bulk.upsert(
    'gerrit_accounts',
    ['server_id', '`key`', 'username', 'name', 'email', 'account_id'],
    ['server_id', '`key`'],
    (incoming) =>
      ['username', 'name', 'email', 'account_id']
        .map((c) => `${c} = coalesce(${incoming(c)}, ${c})`)
        .join(', '),
    rows,
  );
  const found = await selectIn<{ id: number; key: string }>(
    ctx.trx,
    'gerrit_accounts',
    ['id', 'key'],
    'key',
    [...merged.keys()],
    { server_id: ctx.serverId },
  );
  return new Map(found.map((r) => [r.key, Number(r.id)]));
}

function stripUndefined<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export async function writeProjects(
  ctx: WriteContext,
  events: readonly StoredEvent[],
): Promise<Map<string, number>> {
  const names = [...new Set(events.map((e) => cut(e.change.project, 255)!))];
  await ctx.bulk.insertMissing(
    'gerrit_projects',
    ['server_id', 'name'],
    'server_id, name',
    names.map((name) => [ctx.serverId, name]),
  );
  const found = await selectIn<{ id: number; name: string }>(
    ctx.trx,
    'gerrit_projects',
    ['id', 'name'],
    'name',
    names,
    { server_id: ctx.serverId },
  );
  return new Map(found.map((r) => [r.name, Number(r.id)]));
}

// --- changes ---------------------------------------------------------------------------------

/** The status an event tells: state events by their type, others by the change they carry. */
function statusOf(event: StoredEvent): string | null {
  switch (event.type) {
    case 'change-merged':
      return 'MERGED';
    case 'change-abandoned':
      return 'ABANDONED';
    case 'change-restored':
      return 'NEW';
  }
  const status = event.change.status?.toUpperCase();
  return status === 'NEW' || status === 'MERGED' || status === 'ABANDONED' ? status : null;
}

interface ChangeRow {
  project: string;
  branch: string;
  subject: string | null;
  owner: string | null;
  createdAt: Date | null;
  updatedAt: Date;
  status: string | null;
  statusAt: Date | null;
}

/** Change id by number; each change's newest facts written, older status never over a newer one. */
export async function writeChanges(
  ctx: WriteContext,
  events: readonly StoredEvent[],
  accounts: ReadonlyMap<string, number>,
  projects: ReadonlyMap<string, number>,
): Promise<Map<number, number>> {
  const changes = new Map<number, ChangeRow>();
  for (const event of events) {
    const c = event.change;
    const at = eventDate(event.createdOn);
    const status = statusOf(event);
    const row = changes.get(c.number) ?? {
      project: cut(c.project, 255)!,
      branch: cut(c.branch, 255) ?? '',
      subject: null,
      owner: null,
      createdAt: null,
      updatedAt: at,
      status: null,
      statusAt: null,
    };
    if (c.subject) row.subject = cut(c.subject, 1024);
    if (c.owner) row.owner = accountKey(c.owner);
    if (c.createdOn !== undefined && Number.isFinite(c.createdOn))
      row.createdAt = eventDate(c.createdOn);
    if (at > row.updatedAt) row.updatedAt = at;
    if (status !== null && (row.statusAt === null || at >= row.statusAt)) {
      row.status = status;
      row.statusAt = at;
    }
    changes.set(c.number, row);
  }
  const greatest = ctx.dialect === 'sqlite' ? 'max' : 'greatest';
  const newer = (i: (c: string) => string) =>
    `${i('status_at')} is not null and (status_at is null or ${i('status_at')} >= status_at)`;
  const t = (d: Date | null) => bindTime(ctx.dialect, d);
  await ctx.bulk.upsert(
    'gerrit_changes',
    [
      'server_id',
      'number',
      'project_id',
      'branch',
      'subject',
      'owner_id',
      'status',
      'status_at',
      'created_at',
      'updated_at',
    ],
    ['server_id', 'number'],
    (i) =>
      [
        `subject = coalesce(${i('subject')}, subject)`,
        `owner_id = coalesce(${i('owner_id')}, owner_id)`,
        `created_at = coalesce(created_at, ${i('created_at')})`,
        `updated_at = ${greatest}(updated_at, ${i('updated_at')})`,
        // status before status_at: MySQL's later assignments see the earlier ones' results.
        `status = case when ${newer(i)} then ${i('status')} else status end`,
        `status_at = case when ${newer(i)} then ${i('status_at')} else status_at end`,
      ].join(', '),
    [...changes].map(([number, c]) => [
      ctx.serverId,
      number,
      projects.get(c.project)!,
      c.branch,
      c.subject,
      c.owner === null ? null : (accounts.get(c.owner) ?? null),
      c.status,
      t(c.statusAt),
      t(c.createdAt),
      t(c.updatedAt),
    ]),
  );
  const found = await selectIn<{ id: number; number: number }>(
    ctx.trx,
    'gerrit_changes',
    ['id', 'number'],
    'number',
    [...changes.keys()],
    { server_id: ctx.serverId },
  );
  return new Map(found.map((r) => [Number(r.number), Number(r.id)]));
}
