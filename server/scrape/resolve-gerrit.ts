/**
 * A change's CI results read from its Gerrit's REST API (`GET /changes/N/detail`, messages
 * included), for a change the collector has not stored: each message parsed with the CI
 * comment parser, keeping the configured CI accounts' (any account's whose comment parses as
 * a report with job lines when none are configured).
 */
import { parseCiReport } from '../cis/comment-parser.js';
import { GatewatchError } from '../errors.js';
import { createHttpClient, HttpStatusError } from '../http/client.js';

/** A configured Gerrit, as resolving needs it (`GerritServerOptions` is one). */
export interface ResolveServer {
  readonly name: string;
  readonly rest: {
    readonly url: string;
    readonly user: string | null;
    readonly password: string | null;
  } | null;
  /** CI account usernames; empty: any account. */
  readonly cis: readonly string[];
}

/** One job's newest result on the patch set. */
export interface ReportedJob {
  readonly name: string;
  readonly pipeline: string | null;
  readonly result: string;
  readonly logUrl: string;
  readonly ci: string;
}

export interface GerritAnswer {
  readonly project: string | null;
  readonly subject: string | null;
  /** The patch set asked, else the newest one with CI reports; `null` when none has any. */
  readonly patchSet: number | null;
  readonly jobs: ReportedJob[];
}

/** Messages read per change (the oldest first, as Gerrit lists them). */
const MAX_MESSAGES = 10_000;
/** An interactive look-up: a short time-out, one retry. */
const HTTP = { retries: 1, totalTimeoutMs: 30_000, connectTimeoutMs: 10_000 } as const;

type Json = Record<string, unknown>;

export async function changeFromGerrit(
  server: ResolveServer & { rest: NonNullable<ResolveServer['rest']> },
  change: number,
  patchSet: number | null,
): Promise<GerritAnswer> {
  const { url, user, password } = server.rest;
  const http = createHttpClient(
    user === null ? HTTP : { ...HTTP, auth: { user, password: password ?? '' } },
  );
  const base = url.replace(/\/+$/, '');
  let info: unknown;
  try {
    info = await http.getJson(`${base}${user === null ? '' : '/a'}/changes/${change}/detail`);
  } catch (error) {
    if (error instanceof HttpStatusError && error.status === 404) {
      throw new GatewatchError(
        'CHANGE_NOT_FOUND',
        `Gerrit answered 404 for change ${change} (${server.name}, ${base})`,
      );
    }
    throw error;
  }
  if (!isObject(info)) {
    throw new GatewatchError('UPSTREAM_BAD_BODY', `${base}: change ${change} is not a ChangeInfo`);
  }
  const cis = new Set(server.cis);
  const byPatchSet = new Map<number, Map<string, ReportedJob>>();
  const messages = Array.isArray(info.messages) ? info.messages.slice(0, MAX_MESSAGES) : [];
  for (const message of messages) {
    if (!isObject(message) || !isObject(message.author)) continue;
    const ci = text(message.author.username) ?? text(message.author.name);
    const psNumber = message._revision_number;
    if (ci === null || typeof psNumber !== 'number') continue;
    if (cis.size > 0 && !cis.has(ci)) continue;
    const report = parseCiReport(text(message.message) ?? '', [], text(message.tag));
    if (report === null) continue;
    const jobs = byPatchSet.get(psNumber) ?? new Map<string, ReportedJob>();
    for (const build of report.builds) {
      if (build.logUrl === null || !/^https?:\/\//i.test(build.logUrl)) continue;
      // Messages come oldest first: a later report of the same job replaces the earlier one.
      jobs.set(`${ci}\n${build.job}`, {
        name: build.job,
        pipeline: report.pipeline,
        result: build.result,
        logUrl: build.logUrl,
        ci,
      });
    }
    if (jobs.size > 0) byPatchSet.set(psNumber, jobs);
  }
  const chosen = patchSet ?? (byPatchSet.size === 0 ? null : Math.max(...byPatchSet.keys()));
  const jobs = chosen === null ? [] : [...(byPatchSet.get(chosen)?.values() ?? [])];
  return {
    project: text(info.project),
    subject: text(info.subject),
    patchSet: chosen,
    jobs,
  };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
