/**
 * `collect --reparse`: every CI report and build derived again from the kept messages, after a
 * parser change. Comments are read in id order, a chunk per transaction; each chunk's reports
 * are replaced whole, so a failure leaves every chunk either as it was or fully re-derived.
 */
import type { Knex } from '@mikro-orm/knex';
import { classifyComment } from '../cis/comment-parser.js';
import { createBulkWriter } from '../db/bulk.js';
import { toDate } from '../db/sql.js';
import type { Services } from '../runtime.js';
import {
  ciSystemsOf,
  deleteReports,
  ensureCiSystems,
  writeReports,
  type CiAccount,
  type ReportInput,
} from './report-writer.js';
import { storedKind } from './store-comments.js';

/** Comments per transaction. */
const CHUNK = 500;

/** What a reparse did. */
export interface ReparseCounts {
  /** Comments read. */
  readonly comments: number;
  /** Reports and builds stored after it (all of them). */
  readonly reports: number;
  readonly builds: number;
  /** CI comments that do not parse. */
  readonly unparsed: number;
  /** Comments whose kind changed. */
  readonly reclassified: number;
}

export interface ReparseOptions {
  /**
   * The configured CI accounts of each server (as the store was given them): on a server with
   * a list, only its accounts are CIs.
   */
  readonly servers?: readonly { readonly name: string; readonly cis: readonly string[] }[];
}

interface CommentRow {
  id: number;
  message: string;
  kind: string;
  patch_set_id: number;
  author_id: number;
  created_at: unknown;
  author_key: string;
  author_name: string | null;
  server_id: number;
  server_name: string;
  ps_number: number;
  project_id: number;
  change_number: number;
  project: string;
  old_vote: number | null;
}

/**
 * Re-derives every report: a comment is a CI's when its author is on its server's configured
 * list, or (no list) is a CI system already or the comment parses as a report. The vote a report carried is kept when the message alone does
 * not tell it (Gerrit sends votes beside the message).
 */
export async function reparseReports(
  services: Services,
  options: ReparseOptions = {},
): Promise<ReparseCounts> {
  const lists = new Map(
    (options.servers ?? []).filter((s) => s.cis.length > 0).map((s) => [s.name, new Set(s.cis)]),
  );
  const { db } = services;
  const counts = { comments: 0, reports: 0, builds: 0, unparsed: 0, reclassified: 0 };
  for (let after = 0; ;) {
    const rows = (await db
      .knex('gerrit_comments as c')
      .join('gerrit_accounts as a', 'a.id', 'c.author_id')
      .join('gerrit_servers as s', 's.id', 'a.server_id')
      .join('gerrit_patch_sets as ps', 'ps.id', 'c.patch_set_id')
      .join('gerrit_changes as ch', 'ch.id', 'ps.change_id')
      .join('gerrit_projects as pr', 'pr.id', 'ps.project_id')
      .leftJoin('ci_reports as r', 'r.comment_id', 'c.id')
      .where('c.id', '>', after)
      .orderBy('c.id')
      .limit(CHUNK)
      .select(
        'c.id',
        'c.message',
        'c.kind',
        'c.patch_set_id',
        'c.author_id',
        'c.created_at',
        'a.key as author_key',
        'a.name as author_name',
        'a.server_id',
        's.name as server_name',
        'ps.number as ps_number',
        'ps.project_id',
        'ch.number as change_number',
        'pr.name as project',
        'r.vote as old_vote',
      )) as CommentRow[];
    if (rows.length === 0) break;
    after = Number(rows.at(-1)!.id);
    counts.comments += rows.length;
    const chunk = await db.knex.transaction((trx) => reparseChunk(services, trx, rows, lists));
    counts.reclassified += chunk.reclassified;
  }
  await db.knex.raw(
    'update ci_systems set first_report_at = (select min(r.created_at) from ci_reports r where r.ci_id = ci_systems.id), last_report_at = (select max(r.created_at) from ci_reports r where r.ci_id = ci_systems.id)',
  );
  const [reports] = (await db.knex('ci_reports').count({ n: '*' })) as { n: number | string }[];
  const [builds] = (await db.knex('ci_builds').count({ n: '*' })) as { n: number | string }[];
  const [unparsed] = (await db
    .knex('gerrit_comments')
    .where('kind', 'unparsed')
    .count({ n: '*' })) as { n: number | string }[];
  return {
    ...counts,
    reports: Number(reports!.n),
    builds: Number(builds!.n),
    unparsed: Number(unparsed!.n),
  };
}

async function reparseChunk(
  services: Services,
  trx: Knex,
  rows: CommentRow[],
  lists: ReadonlyMap<string, ReadonlySet<string>>,
): Promise<{ reclassified: number }> {
  const { dialect } = services.db;
  const bulk = await createBulkWriter(dialect, trx);
  await deleteReports(
    { trx, bulk, dialect },
    rows.map((r) => Number(r.id)),
  );
  const knownCis = await ciSystemsOf(
    trx,
    rows.map((r) => Number(r.author_id)),
  );
  const parsed = rows.map((row) => {
    const approvals =
      row.old_vote === null ? [] : [{ label: 'Verified', value: Number(row.old_vote) }];
    const kind = classifyComment(row.message, approvals);
    const list = lists.get(row.server_name);
    const byCi = list
      ? list.has(row.author_key)
      : knownCis.has(Number(row.author_id)) || kind.kind === 'report';
    return { row, kind, byCi, stored: storedKind(kind, byCi) };
  });
  const changed = new Map<string, number[]>();
  for (const p of parsed) {
    if (p.stored === p.row.kind) continue;
    changed.set(p.stored, [...(changed.get(p.stored) ?? []), Number(p.row.id)]);
  }
  for (const [kind, changedIds] of changed) {
    await trx('gerrit_comments').whereIn('id', changedIds).update({ kind });
  }
  const servers = new Set(parsed.map((p) => Number(p.row.server_id)));
  for (const serverId of servers) {
    const mine = parsed.filter((p) => Number(p.row.server_id) === serverId && p.byCi);
    if (mine.length === 0) continue;
    const upstream: { key: string } | undefined = await trx('ci_systems as c')
      .join('gerrit_accounts as a', 'a.id', 'c.account_id')
      .where({ 'a.server_id': serverId, 'c.upstream': 1 })
      .first('a.key');
    const ctx = { trx, bulk, dialect, serverId, upstream: upstream?.key ?? null };
    const accounts: CiAccount[] = mine.map((p) => ({
      accountId: Number(p.row.author_id),
      key: p.row.author_key,
      name: p.row.author_name,
    }));
    const ciOf = await ensureCiSystems(ctx, accounts);
    const inputs: ReportInput[] = mine.flatMap((p) =>
      p.kind.kind === 'report'
        ? [
            {
              commentId: Number(p.row.id),
              patchSetId: Number(p.row.patch_set_id),
              projectId: Number(p.row.project_id),
              accountId: Number(p.row.author_id),
              createdAt: toDate(p.row.created_at),
              report: p.kind.report,
              project: p.row.project,
              change: Number(p.row.change_number),
              patchSet: Number(p.row.ps_number),
            },
          ]
        : [],
    );
    await writeReports(ctx, inputs, ciOf, new Map(accounts.map((a) => [a.accountId, a.key])));
  }
  return { reclassified: [...changed.values()].reduce((n, l) => n + l.length, 0) };
}
