/** The comments of a batch of Gerrit events and the CI reports they make (see store-batch.ts). */
import { classifyComment } from '../cis/comment-parser.js';
import type { CiReportEvent } from '../cis/ci.topics.js';
import type { CommentKind } from '../cis/report.js';
import { toDate } from '../db/sql.js';
import { commentIdentity } from './comment-identity.js';
import type { CommentAdded, StoredEvent } from './events.js';
import {
  ciSystemsOf,
  ensureCiSystems,
  writeReports,
  type CiAccount,
  type ReportInput,
  type WriteContext,
} from './report-writer.js';
import type { EventSource } from './sink.js';
import {
  accountKey,
  bindTime,
  cut,
  cutMessage,
  eventDate,
  selectIn,
  type StoreScope,
} from './store-sql.js';
import { psKey, type PatchSetKey } from './store-patch-sets.js';

/** Two deliveries of one comment whose times differ by at most this much are the same comment. */
export const SAME_COMMENT_MS = 10_000;

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

/** The ids of what the batch names, by their Gerrit keys. */
export interface BatchIds {
  readonly accounts: ReadonlyMap<string, number>;
  readonly changes: ReadonlyMap<number, number>;
  readonly patchSets: ReadonlyMap<PatchSetKey, number>;
  readonly projects: ReadonlyMap<string, number>;
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
export async function writeComments(
  ctx: WriteContext,
  scope: StoreScope,
  events: readonly StoredEvent[],
  { accounts, changes, patchSets, projects }: BatchIds,
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
