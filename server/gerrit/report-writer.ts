/**
 * Writes CI reports and their builds for stored comments, creating the CI systems they come
 * from: what the store does for each new CI comment and `reparseReports` for every kept one.
 */
import type { Knex } from '@mikro-orm/knex';
import type { CiReportEvent } from '../cis/ci.topics.js';
import { changesOf, changesWithIds, trackJobDays } from '../cis/job-days.js';
import { rawRows } from '../db/rows.js';
import type { ParsedReport } from '../cis/report.js';
import { logKey, runsByLogKey } from '../cis/run-link.js';
import type { BulkWriter } from '../db/bulk.js';
import type { Dialect } from '../db/orm.js';
import { bindTime, cut, selectIn } from './store-sql.js';

/** Builds kept per report: a comment listing more is cut (no real CI runs that many jobs). */
export const MAX_BUILDS_PER_REPORT = 1000;

/** One comment's report, with what its live event names. */
export interface ReportInput {
  readonly commentId: number;
  readonly patchSetId: number;
  readonly projectId: number;
  readonly accountId: number;
  readonly createdAt: Date;
  readonly report: ParsedReport;
  readonly project: string;
  readonly change: number;
  readonly patchSet: number;
}

/** A CI-to-be: the account, and how to name it. */
export interface CiAccount {
  readonly accountId: number;
  /** The account key (username, or `email:…`). */
  readonly key: string;
  readonly name: string | null;
}

export interface WriteContext {
  readonly trx: Knex;
  readonly bulk: BulkWriter;
  readonly dialect: Dialect;
  readonly serverId: number;
  /** The upstream CI's account key; null: `zuul`, else `jenkins`, when present. */
  readonly upstream: string | null;
}

/** The CI system of each account, created when missing; the upstream flag kept right. */
export async function ensureCiSystems(
  ctx: WriteContext,
  accounts: readonly CiAccount[],
): Promise<Map<number, number>> {
  const ids = await ciSystemsOf(
    ctx.trx,
    accounts.map((a) => a.accountId),
  );
  const missing = uniqueBy(
    accounts.filter((a) => !ids.has(a.accountId)),
    (a) => a.accountId,
  );
  if (missing.length === 0) return ids;
  await ctx.bulk.insertMissing(
    'ci_systems',
    ['account_id', 'name', 'upstream'],
    'account_id',
    missing.map((a) => [a.accountId, cut(a.name ?? a.key, 255), 0]),
  );
  for (const [account, ci] of await ciSystemsOf(
    ctx.trx,
    missing.map((a) => a.accountId),
  ))
    ids.set(account, ci);
  await markUpstream(ctx);
  return ids;
}

/** CI system id by account id, for the accounts that are CIs. */
export async function ciSystemsOf(
  knex: Knex,
  accountIds: readonly number[],
): Promise<Map<number, number>> {
  const rows = await selectIn<{ id: number; account_id: number }>(
    knex,
    'ci_systems',
    ['id', 'account_id'],
    'account_id',
    accountIds,
  );
  return new Map(rows.map((r) => [Number(r.account_id), Number(r.id)]));
}

/** Sets `upstream` on the server's one upstream CI, and clears it on the others. */
async function markUpstream(ctx: WriteContext): Promise<void> {
  const cis: { id: number; key: string }[] = await ctx
    .trx('ci_systems as c')
    .join('gerrit_accounts as a', 'a.id', 'c.account_id')
    .where('a.server_id', ctx.serverId)
    .select('c.id', 'a.key');
  const keys = new Set(cis.map((c) => c.key));
  const chosen =
    ctx.upstream ?? (keys.has('zuul') ? 'zuul' : keys.has('jenkins') ? 'jenkins' : null);
  const upstreamIds = cis.filter((c) => c.key === chosen).map((c) => c.id);
  const others = cis.filter((c) => c.key !== chosen).map((c) => c.id);
  if (upstreamIds.length > 0)
    await ctx.trx('ci_systems').whereIn('id', upstreamIds).update({ upstream: 1 });
  for (let i = 0; i < others.length; i += 500) {
    await ctx
      .trx('ci_systems')
      .whereIn('id', others.slice(i, i + 500))
      .update({ upstream: 0 });
  }
}

const REPORT_COLUMNS = [
  'comment_id',
  'patch_set_id',
  'project_id',
  'ci_id',
  'pipeline',
  'verdict',
  'vote',
  'created_at',
];
const BUILD_COLUMNS = [
  'report_id',
  'job',
  'log_url',
  'log_key',
  'result',
  'detail',
  'duration',
  'voting',
  'run_id',
];

/** What writing a set of reports stored. */
export interface WrittenReports {
  readonly reports: number;
  readonly builds: number;
  /** One per report, for `ciReports` subscribers (published after the commit). */
  readonly events: CiReportEvent[];
}

/**
 * Inserts the reports (their CI systems must exist: `ciOf` maps account → CI) and their builds,
 * each build linked to the run its log URL names, moves the CIs' first/last report times and
 * keeps `ci_job_days` right for the changes reported on.
 */
export async function writeReports(
  ctx: WriteContext,
  inputs: readonly ReportInput[],
  ciOf: ReadonlyMap<number, number>,
  ciKeyOf: ReadonlyMap<number, string>,
): Promise<WrittenReports> {
  if (inputs.length === 0) return { reports: 0, builds: 0, events: [] };
  const rollUp = await trackJobDays(
    ctx.trx,
    ctx.dialect,
    ctx.bulk,
    changesOf(inputs.map((r) => r.patchSetId)),
  );
  await ctx.bulk.insert(
    'ci_reports',
    REPORT_COLUMNS,
    inputs.map((r) => [
      r.commentId,
      r.patchSetId,
      r.projectId,
      ciOf.get(r.accountId)!,
      cut(r.report.pipeline, 255),
      r.report.verdict,
      r.report.vote,
      bindTime(ctx.dialect, r.createdAt),
    ]),
  );
  const reportIds = new Map(
    (
      await selectIn<{ id: number; comment_id: number }>(
        ctx.trx,
        'ci_reports',
        ['id', 'comment_id'],
        'comment_id',
        inputs.map((r) => r.commentId),
      )
    ).map((r) => [Number(r.comment_id), Number(r.id)]),
  );
  const builds = inputs.flatMap((r) =>
    r.report.builds.slice(0, MAX_BUILDS_PER_REPORT).map((b) => ({
      reportId: reportIds.get(r.commentId)!,
      build: b,
      key: b.logUrl ? logKey(b.logUrl) : null,
    })),
  );
  const runs = await runsByLogKey(
    ctx.trx,
    builds.flatMap((b) => (b.key ? [b.key] : [])),
  );
  await ctx.bulk.insert(
    'ci_builds',
    BUILD_COLUMNS,
    builds.map(({ reportId, build, key }) => [
      reportId,
      cut(build.job, 255),
      cut(build.logUrl, 2048),
      key,
      cut(build.result, 32),
      cut(build.detail, 512),
      build.durationSeconds === null ? null : Math.round(build.durationSeconds),
      build.voting ? 1 : 0,
      key === null ? null : (runs.get(key) ?? null),
    ]),
  );
  await moveReportTimes(ctx, inputs, ciOf);
  await rollUp();
  return {
    reports: inputs.length,
    builds: builds.length,
    events: inputs.map((r) => ({
      id: reportIds.get(r.commentId)!,
      ciId: ciOf.get(r.accountId)!,
      ci: ciKeyOf.get(r.accountId) ?? '',
      project: r.project,
      change: r.change,
      patchSet: r.patchSet,
      patchSetId: r.patchSetId,
      pipeline: r.report.pipeline,
      verdict: r.report.verdict,
      vote: r.report.vote,
      createdAt: r.createdAt.toISOString(),
    })),
  };
}

/** Deletes the reports of these comments and their builds, keeping `ci_job_days` right. */
export async function deleteReports(
  ctx: Pick<WriteContext, 'trx' | 'bulk' | 'dialect'>,
  commentIds: readonly number[],
): Promise<void> {
  if (commentIds.length === 0) return;
  const list = commentIds.map(() => '?').join(', ');
  // The changes are read first: after the delete, no report names them.
  const changes = await rawRows(
    ctx.trx,
    ctx.dialect,
    `select distinct ps.change_id from ci_reports r join gerrit_patch_sets ps on ps.id = r.patch_set_id where r.comment_id in (${list})`,
    commentIds,
  );
  if (changes.length === 0) return;
  const rollUp = await trackJobDays(
    ctx.trx,
    ctx.dialect,
    ctx.bulk,
    changesWithIds(changes.map((r) => Number(r.change_id))),
  );
  await ctx.trx.raw(
    `delete from ci_builds where report_id in (select id from ci_reports where comment_id in (${list}))`,
    commentIds as number[],
  );
  await ctx.trx('ci_reports').whereIn('comment_id', commentIds).delete();
  await rollUp();
}

/** Widens each CI's first/last report times to the new reports'. */
async function moveReportTimes(
  ctx: WriteContext,
  inputs: readonly ReportInput[],
  ciOf: ReadonlyMap<number, number>,
): Promise<void> {
  const span = new Map<number, { first: Date; last: Date }>();
  for (const r of inputs) {
    const ci = ciOf.get(r.accountId)!;
    const seen = span.get(ci);
    if (!seen) span.set(ci, { first: r.createdAt, last: r.createdAt });
    else {
      if (r.createdAt < seen.first) seen.first = r.createdAt;
      if (r.createdAt > seen.last) seen.last = r.createdAt;
    }
  }
  const [least, greatest] = ctx.dialect === 'sqlite' ? ['min', 'max'] : ['least', 'greatest'];
  for (const [ci, { first, last }] of span) {
    await ctx.trx.raw(
      `update ci_systems set first_report_at = coalesce(${least}(first_report_at, ?), ?), last_report_at = coalesce(${greatest}(last_report_at, ?), ?) where id = ?`,
      [
        bindTime(ctx.dialect, first),
        bindTime(ctx.dialect, first),
        bindTime(ctx.dialect, last),
        bindTime(ctx.dialect, last),
        ci,
      ] as Knex.RawBinding[],
    );
  }
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => unknown): T[] {
  const seen = new Set<unknown>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
