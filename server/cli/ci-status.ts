/**
 * `gatewatch status --ci ACCOUNT`: one CI's record over the window (figures, latency, agreement
 * with the upstream CI, its jobs unstable first, its newest missed patch sets with their Gerrit
 * links), as text or one JSON object. Read-only.
 */
import { ciSystemsById } from '../cis/ci.service.js';
import { missedPatchSets } from '../cis/missed.service.js';
import { ciRecord } from '../cis/record.service.js';
import { textOption, type Invocation } from '../command.js';
import type { Database } from '../db/orm.js';
import { GatewatchError } from '../errors.js';
import { listServers, patchSetsById } from '../gerrit/gerrit.service.js';
import { formatTable, utcTime } from './table.js';

/** Missed patch sets printed: the newest this many. */
export const MISSED_SHOWN = 20;

export interface CiStatusRequest {
  readonly ci: string;
  readonly server: string | null;
}

/** `--ci` and `--server` checked; null without `--ci`. */
export function ciStatusRequest(invocation: Invocation): CiStatusRequest | null {
  const ci = textOption(invocation, 'ci');
  const server = textOption(invocation, 'server') ?? null;
  if (ci === undefined) {
    if (server !== null)
      throw new GatewatchError('BAD_ARGUMENT', '--server goes with --ci or --matrix');
    return null;
  }
  const name = (flag: string, value: string) => {
    if (value === '' || value.length > 255) {
      throw new GatewatchError('BAD_ARGUMENT', `--${flag}: a name of 1–255 characters`);
    }
  };
  name('ci', ci);
  if (server !== null) name('server', server);
  if (textOption(invocation, 'project') !== undefined) {
    throw new GatewatchError('BAD_ARGUMENT', '--project does not go with --ci');
  }
  return { ci, server };
}

/** The CI's record as printed; CI_NOT_FOUND when no CI has the account. */
export async function ciStatus(
  db: Database,
  request: CiStatusRequest,
  window: { since: Date; until: Date },
) {
  const record = await ciRecord(db, { ...request, ...window });
  if (record === null) {
    const where = request.server === null ? '' : ` on ${request.server}`;
    throw new GatewatchError('CI_NOT_FOUND', `no CI has the account ${request.ci}${where}`);
  }
  const [figures, latency, agreement, jobs] = await Promise.all([
    record.figures,
    record.latency,
    record.agreement,
    record.jobs,
  ]);
  const recordWindow = { ciId: record.ciId, ...window };
  const missed = await missedPatchSets(db, recordWindow, { first: MISSED_SHOWN }, async () => 0);
  const patchSets = await patchSetsById(
    db.knex,
    missed.nodes.map((m) => m.patchSetId),
  );
  const url = (await listServers(db.knex)).find((s) => s.name === record.ci.server)?.url ?? '';
  const upstream =
    agreement === null
      ? null
      : ((await ciSystemsById(db.knex, [agreement.upstreamId])).get(agreement.upstreamId)?.ci ??
        null);
  return {
    ci: record.ci.ci,
    name: record.ci.name,
    server: record.ci.server,
    upstream: record.ci.upstream,
    since: window.since.toISOString(),
    until: window.until.toISOString(),
    figures: {
      reports: figures.reports,
      builds: figures.builds,
      unparsed: figures.unparsed,
      successRate: figures.successRate,
      eligible: figures.eligible,
      coverage: figures.coverage,
      missed: figures.missed,
      lastReport: figures.lastReport?.toISOString() ?? null,
    },
    latency,
    agreement:
      agreement === null
        ? null
        : {
            upstream,
            patchSets: agreement.patchSets,
            bothPassed: agreement.bothPassed,
            bothFailed: agreement.bothFailed,
            failedWhereUpstreamPassed: agreement.failedWhereUpstreamPassed,
            passedWhereUpstreamFailed: agreement.passedWhereUpstreamFailed,
            disagreementRate: agreement.disagreementRate,
          },
    jobs: jobs.map((j) => ({ ...j, lastAt: j.lastAt?.toISOString() ?? null })),
    missed: missed.nodes.map((m) => {
      const ps = patchSets.get(m.patchSetId)!;
      return {
        project: ps.project,
        change: ps.changeNumber,
        patchSet: ps.number,
        createdAt: m.createdAt.toISOString(),
        url: `${url.replace(/\/+$/, '')}/c/${ps.changeNumber}/${ps.number}`,
      };
    }),
  };
}

export type CiStatus = Awaited<ReturnType<typeof ciStatus>>;

/** The record as text: a heading, the figures, then the jobs and missed tables. */
export function formatCiStatus(s: CiStatus): string {
  const percent = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);
  const when = (iso: string | null) => (iso === null ? '-' : utcTime(new Date(iso)));
  const f = s.figures;
  const lines = [
    `${s.ci}${s.upstream ? ' (upstream)' : ''} — ${s.name} on ${s.server}, ${when(s.since)} to ${when(s.until)} UTC`,
    `reports ${f.reports}, builds ${f.builds}, unparsed ${f.unparsed}, success ${percent(f.successRate)}, ` +
      `coverage ${percent(f.coverage)} of ${f.eligible} eligible, missed ${f.missed}, last report ${when(f.lastReport)}`,
    s.latency.patchSets === 0
      ? 'latency: no patch set of the window reported on'
      : `latency over ${s.latency.patchSets} patch sets: median ${duration(s.latency.median!)}, p95 ${duration(s.latency.p95!)}`,
    s.agreement === null
      ? 'agreement: none (no upstream CI to compare with, or this is it)'
      : `agreement with ${s.agreement.upstream} on ${s.agreement.patchSets} patch sets: both passed ${s.agreement.bothPassed}, ` +
        `both failed ${s.agreement.bothFailed}, failed where upstream passed ${s.agreement.failedWhereUpstreamPassed}, ` +
        `passed where upstream failed ${s.agreement.passedWhereUpstreamFailed}; disagreement ${percent(s.agreement.disagreementRate)}`,
    '',
  ];
  if (s.jobs.length === 0) lines.push('no builds in the window');
  else {
    lines.push(
      formatTable(
        [
          ['JOB', 'BUILDS', 'FAILURES', 'FAILURE RATE', 'FLIPS', 'LAST RESULT', 'LAST BUILD'],
          ...s.jobs.map((j) => [
            j.job,
            String(j.builds),
            String(j.failures),
            percent(j.failureRate),
            String(j.flips),
            j.lastResult ?? '-',
            when(j.lastAt),
          ]),
        ],
        [1, 2, 3, 4],
      ),
    );
  }
  lines.push('');
  if (s.missed.length === 0) lines.push('no missed patch set');
  else {
    lines.push(`missed patch sets (the newest ${s.missed.length} of ${f.missed}):`);
    lines.push(
      formatTable(
        [
          ['PROJECT', 'CHANGE', 'PATCH SET', 'CREATED', 'LINK'],
          ...s.missed.map((m) => [
            m.project,
            String(m.change),
            String(m.patchSet),
            when(m.createdAt),
            m.url,
          ]),
        ],
        [1, 2],
      ),
    );
  }
  return lines.join('\n');
}

/** Seconds as `42s`, `15m 00s`, `2h 00m`. */
function duration(seconds: number): string {
  const s = Math.round(seconds);
  const two = (n: number) => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${two(s % 60)}s`;
  return `${Math.floor(s / 3600)}h ${two(Math.floor((s % 3600) / 60))}m`;
}
