/**
 * One batch of Gerrit events written in one transaction with bulk statements: accounts,
 * projects, changes, patch sets, state changes, comments, then the CI reports of the new CI
 * comments. Idempotent: what is already stored is recognised and counted as a duplicate.
 */
import type { Knex } from '@mikro-orm/knex';
import { classifyComment } from '../cis/comment-parser.js';
import type { CiReportEvent } from '../cis/ci.topics.js';
import type { CommentKind } from '../cis/report.js';
import { createBulkWriter } from '../db/bulk.js';
import type { Database, Dialect } from '../db/orm.js';
import { toDate } from '../db/sql.js';
import { commentIdentity } from './comment-identity.js';
import type { CommentAdded, GerritAccount, StoredEvent } from './events.js';
import {
  ciSystemsOf,
  ensureCiSystems,
  writeReports,
  type CiAccount,
  type ReportInput,
  type WriteContext,
} from './report-writer.js';
import type { EventSource } from './sink.js';
import { accountKey, bindTime, cut, cutMessage, eventDate, selectIn } from './store-sql.js';

/** Two deliveries of one comment whose times differ by at most this much are the same comment. */
export const SAME_COMMENT_MS = 10_000;

/** What the store knows of its server. */
export interface StoreScope {
  readonly serverId: number;
  /** The configured CI accounts (keys); empty: any account whose comment parses as a report. */
  readonly cis: ReadonlySet<string>;
  readonly upstream: string | null;
}

export interface BatchOutcome {
  /** The events stored for the first time, in the order given. */
  readonly stored: StoredEvent[];
  readonly duplicates: number;
  readonly reports: CiReportEvent[];
}

/** Store events whose identity is a (change, patch set) key. */
type PatchSetKey = string;
const psKey = (changeId: number, number: number): PatchSetKey => `${changeId}:${number}`;

export async function writeBatch(
  db: Database,
  scope: StoreScope,
  events: readonly StoredEvent[],
  source: EventSource,
): Promise<BatchOutcome> {
  if (events.length === 0) return { stored: [], duplicates: 0, reports: [] };
  return db.knex.transaction(async (trx) => {
    const ctx: WriteContext = {
      trx,
      bulk: await createBulkWriter(db.dialect, trx),
      dialect: db.dialect,
      serverId: scope.serverId,
      upstream: scope.upstream,
    };
    const accounts = await writeAccounts(ctx, events);
    const projects = await writeProjects(ctx, events);
    const changes = await writeChanges(ctx, events, accounts, projects);
    const patchSets = await writePatchSets(ctx, events, accounts, changes, projects);
    const isNew = new Set<StoredEvent>();
    for (const event of patchSets.created) isNew.add(event);
    for (const event of await writeStateChanges(ctx, events, changes, patchSets.ids)) {
      isNew.add(event);
    }
    const comments = await writeComments(
      ctx,
      scope,
      events,
      accounts,
      changes,
      patchSets.ids,
      projects,
      source,
    );
    for (const event of comments.created) isNew.add(event);
    const newest = Math.max(...events.map((e) => e.createdOn));
    await trx('gerrit_servers')
      .where('id', scope.serverId)
      .andWhere((q) =>
        q
          .whereNull('last_event_at')
          .orWhere('last_event_at', '<', bindTime(db.dialect, eventDate(newest))!),
      )
      .update({ last_event_at: bindTime(db.dialect, eventDate(newest)) });
    // `delete`: an event object given twice is stored once.
    const stored = events.filter((e) => isNew.delete(e));
    return { stored, duplicates: events.length - stored.length, reports: comments.reports };
  });
}

// --- accounts and projects -------------------------------------------------------------------

function accountsOf(event: StoredEvent): (GerritAccount | undefined)[] {
  const list = [event.change.owner, event.patchSet.uploader];
  if (event.type === 'patchset-created') list.push(event.uploader);
  if (event.type === 'comment-added') list.push(event.author);
  return list;
}

/** Account id by key, every account the events name upserted (details kept when new ones lack them). */
async function writeAccounts(
  ctx: WriteContext,
  events: readonly StoredEvent[],
): Promise<Map<string, number>> {
  const merged = new Map<string, GerritAccount>();
  for (const event of events) {
    for (const account of accountsOf(event)) {
      if (account === undefined && event.type !== 'comment-added') continue;
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

async function writeProjects(
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
async function writeChanges(
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

// --- patch sets ------------------------------------------------------------------------------

interface PatchSetRow {
  changeId: number;
  projectId: number;
  number: number;
  revision: string | null;
  createdAt: Date;
  uploader: string | null;
  kind: string | null;
  /** Told by a patchset-created event (its facts win over a comment's). */
  announced: boolean;
}

/**
 * Patch set id by key, and the patchset-created events of patch sets not stored before. A
 * patch set first seen through a comment is stored from what the comment tells, and completed
 * when its patchset-created event arrives. Superseded times follow every new patch set.
 */
async function writePatchSets(
  ctx: WriteContext,
  events: readonly StoredEvent[],
  accounts: ReadonlyMap<string, number>,
  changes: ReadonlyMap<number, number>,
  projects: ReadonlyMap<string, number>,
): Promise<{ ids: Map<PatchSetKey, number>; created: StoredEvent[] }> {
  const changeIds = [...new Set(events.map((e) => changes.get(e.change.number)!))];
  const before = await selectIn<{ change_id: number; number: number }>(
    ctx.trx,
    'gerrit_patch_sets',
    ['change_id', 'number'],
    'change_id',
    changeIds,
  );
  const existed = new Set(before.map((r) => psKey(Number(r.change_id), Number(r.number))));
  const rows = new Map<PatchSetKey, PatchSetRow>();
  const created: StoredEvent[] = [];
  for (const event of events) {
    const changeId = changes.get(event.change.number)!;
    const key = psKey(changeId, event.patchSet.number);
    const ps = event.patchSet;
    const announced = event.type === 'patchset-created';
    const uploader = announced ? (event.uploader ?? ps.uploader) : ps.uploader;
    const told: PatchSetRow = {
      changeId,
      projectId: projects.get(cut(event.change.project, 255)!)!,
      number: ps.number,
      revision: cut(ps.revision, 64),
      createdAt: eventDate(ps.createdOn ?? event.createdOn),
      uploader: uploader ? accountKey(uploader) : null,
      kind: cut(ps.kind, 32),
      announced,
    };
    const seen = rows.get(key);
    if (announced && !existed.has(key) && !(seen?.announced ?? false)) created.push(event);
    if (!seen) rows.set(key, told);
    // A patchset-created event's facts win over a comment's; else the first told wins.
    else if (announced && !seen.announced) rows.set(key, { ...seen, ...stripNull(told) });
    else rows.set(key, { ...told, ...stripNull(seen) });
  }
  await ctx.bulk.upsert(
    'gerrit_patch_sets',
    ['change_id', 'project_id', 'number', 'revision', 'created_at', 'uploader_id', 'kind'],
    ['change_id', 'number'],
    (i) =>
      [
        // created_at first: it reads the revision as stored before this statement.
        `created_at = case when revision is null and ${i('revision')} is not null then ${i('created_at')} else created_at end`,
        `revision = coalesce(revision, ${i('revision')})`,
        `uploader_id = coalesce(uploader_id, ${i('uploader_id')})`,
        `kind = coalesce(kind, ${i('kind')})`,
      ].join(', '),
    [...rows.values()].map((r) => [
      r.changeId,
      r.projectId,
      r.number,
      r.revision,
      bindTime(ctx.dialect, r.createdAt),
      r.uploader === null ? null : (accounts.get(r.uploader) ?? null),
      r.kind,
    ]),
  );
  const after = await selectIn<{ id: number; change_id: number; number: number }>(
    ctx.trx,
    'gerrit_patch_sets',
    ['id', 'change_id', 'number'],
    'change_id',
    changeIds,
  );
  const ids = new Map(
    after.map((r) => [psKey(Number(r.change_id), Number(r.number)), Number(r.id)]),
  );
  const grown = [
    ...new Set([...rows.keys()].filter((k) => !existed.has(k)).map((k) => rows.get(k)!.changeId)),
  ];
  await updateSuperseded(ctx.trx, ctx.dialect, grown);
  return { ids, created };
}

function stripNull<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null)) as Partial<T>;
}

/** Each patch set of the changes is superseded when the first later one was created. */
async function updateSuperseded(
  trx: Knex,
  dialect: Dialect,
  changeIds: readonly number[],
): Promise<void> {
  for (let i = 0; i < changeIds.length; i += 500) {
    const ids = changeIds.slice(i, i + 500);
    const list = ids.map(() => '?').join(', ');
    if (dialect === 'sqlite') {
      await trx.raw(
        `update gerrit_patch_sets set superseded_at = (select min(q.created_at) from gerrit_patch_sets q where q.change_id = gerrit_patch_sets.change_id and q.number > gerrit_patch_sets.number) where change_id in (${list})`,
        ids,
      );
    } else {
      // MySQL cannot read the table it updates in a subquery; a grouped derived table it can.
      await trx.raw(
        `update gerrit_patch_sets p left join (select a.id, min(b.created_at) as s from gerrit_patch_sets a join gerrit_patch_sets b on b.change_id = a.change_id and b.number > a.number where a.change_id in (${list}) group by a.id) x on x.id = p.id set p.superseded_at = x.s where p.change_id in (${list})`,
        [...ids, ...ids],
      );
    }
  }
}

// --- state changes ---------------------------------------------------------------------------

const STATE_TYPES = new Set(['change-merged', 'change-abandoned', 'change-restored']);

/** The state events not stored before; the patch sets' merged and abandoned times follow. */
async function writeStateChanges(
  ctx: WriteContext,
  events: readonly StoredEvent[],
  changes: ReadonlyMap<number, number>,
  patchSets: ReadonlyMap<PatchSetKey, number>,
): Promise<StoredEvent[]> {
  const states = events.filter((e) => STATE_TYPES.has(e.type));
  if (states.length === 0) return [];
  const changeIds = [...new Set(states.map((e) => changes.get(e.change.number)!))];
  const before = await selectIn<{ change_id: number; type: string; created_at: unknown }>(
    ctx.trx,
    'gerrit_state_changes',
    ['change_id', 'type', 'created_at'],
    'change_id',
    changeIds,
  );
  const key = (changeId: number, type: string, at: Date) => `${changeId}|${type}|${at.getTime()}`;
  const seen = new Set(before.map((r) => key(Number(r.change_id), r.type, toDate(r.created_at))));
  const fresh: StoredEvent[] = [];
  const rows: unknown[][] = [];
  for (const event of states) {
    const changeId = changes.get(event.change.number)!;
    const at = eventDate(event.createdOn);
    const k = key(changeId, event.type, at);
    if (seen.has(k)) continue;
    seen.add(k);
    fresh.push(event);
    rows.push([
      changeId,
      patchSets.get(psKey(changeId, event.patchSet.number))!,
      event.type,
      bindTime(ctx.dialect, at),
    ]);
  }
  if (rows.length === 0) return [];
  await ctx.bulk.insert(
    'gerrit_state_changes',
    ['change_id', 'patch_set_id', 'type', 'created_at'],
    rows,
  );
  const touched = [...new Set(rows.map((r) => r[0] as number))];
  for (let i = 0; i < touched.length; i += 500) {
    const ids = touched.slice(i, i + 500);
    await ctx.trx.raw(
      `update gerrit_patch_sets set merged_at = (select min(s.created_at) from gerrit_state_changes s where s.patch_set_id = gerrit_patch_sets.id and s.type = 'change-merged'), abandoned_at = (select max(a.created_at) from gerrit_state_changes a where a.patch_set_id = gerrit_patch_sets.id and a.type = 'change-abandoned' and not exists (select 1 from gerrit_state_changes r where r.change_id = a.change_id and r.type = 'change-restored' and r.created_at > a.created_at)) where change_id in (${ids.map(() => '?').join(', ')})`,
      ids,
    );
  }
  return fresh;
}

// --- comments --------------------------------------------------------------------------------

/** What a comment is stored as, given whether its author is a CI. */
export function storedKind(parsed: CommentKind, byCi: boolean): string {
  switch (parsed.kind) {
    case 'report':
      return byCi ? 'report' : 'other';
    case 'recheck':
      return 'recheck';
    case 'ci-notice':
      return byCi ? 'ci-notice' : 'other';
    case 'other':
      return byCi ? 'unparsed' : 'other';
  }
}

interface NewComment {
  event: CommentAdded;
  patchSetId: number;
  authorId: number;
  authorKey: string;
  createdAt: Date;
  digest: string;
  parsed: CommentKind;
}

/**
 * The comments not stored before (the same patch set, author and message within 10 s is the
 * same comment, whichever path delivered it), and the reports of those by CIs.
 */
async function writeComments(
  ctx: WriteContext,
  scope: StoreScope,
  events: readonly StoredEvent[],
  accounts: ReadonlyMap<string, number>,
  changes: ReadonlyMap<number, number>,
  patchSets: ReadonlyMap<PatchSetKey, number>,
  projects: ReadonlyMap<string, number>,
  source: EventSource,
): Promise<{ created: StoredEvent[]; reports: CiReportEvent[] }> {
  const commentEvents = events.filter((e): e is CommentAdded => e.type === 'comment-added');
  if (commentEvents.length === 0) return { created: [], reports: [] };
  const candidates = commentEvents.map((event) => {
    const changeId = changes.get(event.change.number)!;
    const authorKey = accountKey(event.author);
    return {
      event,
      patchSetId: patchSets.get(psKey(changeId, event.patchSet.number))!,
      authorId: accounts.get(authorKey)!,
      authorKey,
      createdAt: eventDate(event.createdOn),
      digest: commentIdentity(event).digest,
    };
  });
  const before = await selectIn<{
    patch_set_id: number;
    author_id: number;
    digest: string;
    created_at: unknown;
  }>(
    ctx.trx,
    'gerrit_comments',
    ['patch_set_id', 'author_id', 'digest', 'created_at'],
    'patch_set_id',
    candidates.map((c) => c.patchSetId),
  );
  const same = (ps: number, author: number, digest: string) => `${ps}|${author}|${digest}`;
  const times = new Map<string, number[]>();
  for (const r of before) {
    const k = same(Number(r.patch_set_id), Number(r.author_id), r.digest);
    times.set(k, [...(times.get(k) ?? []), toDate(r.created_at).getTime()]);
  }
  const fresh: NewComment[] = [];
  for (const c of candidates) {
    const k = same(c.patchSetId, c.authorId, c.digest);
    const at = c.createdAt.getTime();
    const known = times.get(k) ?? [];
    if (known.some((t) => Math.abs(t - at) <= SAME_COMMENT_MS)) continue;
    times.set(k, [...known, at]);
    fresh.push({ ...c, parsed: classifyComment(c.event.comment, c.event.approvals) });
  }
  if (fresh.length === 0) return { created: [], reports: [] };

  const authorIds = [...new Set(fresh.map((c) => c.authorId))];
  const knownCis = await ciSystemsOf(ctx.trx, authorIds);
  const ciAuthors = new Set<number>();
  for (const c of fresh) {
    const byCi =
      scope.cis.size > 0
        ? scope.cis.has(c.authorKey)
        : knownCis.has(c.authorId) || c.parsed.kind === 'report';
    if (byCi) ciAuthors.add(c.authorId);
  }
  await ctx.bulk.insert(
    'gerrit_comments',
    ['patch_set_id', 'author_id', 'created_at', 'digest', 'kind', 'message', 'source'],
    fresh.map((c) => [
      c.patchSetId,
      c.authorId,
      bindTime(ctx.dialect, c.createdAt),
      c.digest,
      storedKind(c.parsed, ciAuthors.has(c.authorId)),
      cutMessage(c.event.comment),
      source,
    ]),
  );
  const stored = await selectIn<{
    id: number;
    patch_set_id: number;
    author_id: number;
    digest: string;
    created_at: unknown;
  }>(
    ctx.trx,
    'gerrit_comments',
    ['id', 'patch_set_id', 'author_id', 'digest', 'created_at'],
    'patch_set_id',
    fresh.map((c) => c.patchSetId),
  );
  const idOf = new Map(
    stored.map((r) => [
      `${same(Number(r.patch_set_id), Number(r.author_id), r.digest)}|${toDate(r.created_at).getTime()}`,
      Number(r.id),
    ]),
  );
  const ciAccounts: CiAccount[] = fresh
    .filter((c) => ciAuthors.has(c.authorId))
    .map((c) => ({ accountId: c.authorId, key: c.authorKey, name: c.event.author.name ?? null }));
  const ciOf = await ensureCiSystems(ctx, ciAccounts);
  const ciKeyOf = new Map(ciAccounts.map((a) => [a.accountId, a.key]));
  const inputs: ReportInput[] = [];
  for (const c of fresh) {
    if (c.parsed.kind !== 'report' || !ciAuthors.has(c.authorId)) continue;
    inputs.push({
      commentId: idOf.get(`${same(c.patchSetId, c.authorId, c.digest)}|${c.createdAt.getTime()}`)!,
      patchSetId: c.patchSetId,
      projectId: projects.get(cut(c.event.change.project, 255)!)!,
      accountId: c.authorId,
      createdAt: c.createdAt,
      report: c.parsed.report,
      project: c.event.change.project,
      change: c.event.change.number,
      patchSet: c.event.patchSet.number,
    });
  }
  const written = await writeReports(ctx, inputs, ciOf, ciKeyOf);
  if (scope.cis.size === 0) {
    const discovered = [...ciAuthors].filter((a) => !knownCis.has(a));
    const justStored = new Set(
      fresh.map((c) =>
        idOf.get(`${same(c.patchSetId, c.authorId, c.digest)}|${c.createdAt.getTime()}`)!,
      ),
    );
    await reclassifyEarlier(ctx, discovered, justStored);
  }
  return { created: fresh.map((c) => c.event), reports: written.events };
}

/**
 * Accounts just found to be CIs: their comments stored before as `other` are classified again
 * as a CI's (`unparsed`, `ci-notice`). None of them parsed as a report, or the account would
 * have been found then.
 */
async function reclassifyEarlier(
  ctx: WriteContext,
  accountIds: readonly number[],
  justStored: ReadonlySet<number>,
): Promise<void> {
  if (accountIds.length === 0) return;
  const rows = (
    await selectIn<{ id: number; message: string }>(
      ctx.trx,
      'gerrit_comments',
      ['id', 'message'],
      'author_id',
      accountIds,
      { kind: 'other' },
    )
  ).filter((r) => !justStored.has(Number(r.id)));
  const byKind = new Map<string, number[]>();
  for (const r of rows) {
    const kind = storedKind(classifyComment(r.message, []), true);
    if (kind === 'other' || kind === 'report') continue;
    byKind.set(kind, [...(byKind.get(kind) ?? []), Number(r.id)]);
  }
  for (const [kind, ids] of byKind) {
    for (let i = 0; i < ids.length; i += 500) {
      await ctx
        .trx('gerrit_comments')
        .whereIn('id', ids.slice(i, i + 500))
        .update({ kind });
    }
  }
}
