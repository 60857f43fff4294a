/**
 * What a pasted input resolves to: a change's latest CI results, one per job (from the
 * database when the collector stored them, else from the configured Gerrit's REST API), or the
 * one job of a log URL (read from its layout; what the database knows of that URL added).
 */
import { logKey, runsByLogKey } from '../cis/run-link.js';
import type { Database } from '../db/orm.js';
import { GatewatchError } from '../errors.js';
import { parseInput, type ScrapeInput } from './input.js';
import { changeFromGerrit, type ReportedJob, type ResolveServer } from './resolve-gerrit.js';
import type { ChangeResolution, ScrapeJob } from './scrape.type.js';

export type { ResolveServer } from './resolve-gerrit.js';

/** Builds read per patch set (every report of every recheck), newest first. */
const MAX_BUILDS = 5000;

type ChangeInput = Extract<ScrapeInput, { kind: 'change' }>;
type LogInput = Extract<ScrapeInput, { kind: 'log-url' }>;

export async function resolveChange(
  db: Database,
  gerritServers: readonly ResolveServer[],
  text: string,
): Promise<ChangeResolution> {
  const restUrls = gerritServers.flatMap((server) => (server.rest ? [server.rest.url] : []));
  const input = parseInput(text, restUrls);
  if (input.kind === 'log-url') return fromLogUrl(db, text.trim(), input);
  const server = chooseServer(gerritServers, input.origin);
  const stored = await fromDatabase(db, input, server?.name ?? null);
  if (stored !== null && stored.jobs.length > 0) return { ...stored, input: text.trim() };
  if (server?.rest) {
    const answer = await changeFromGerrit(
      { ...server, rest: server.rest },
      input.change,
      input.patchSet,
    );
    const runs = await runsByLogKey(
      db.knex,
      answer.jobs.map((job) => logKey(job.logUrl)),
    );
    return {
      input: text.trim(),
      kind: 'change',
      source: 'gerrit',
      server: server.name,
      change: input.change,
      patchSet: answer.patchSet,
      project: answer.project,
      subject: answer.subject,
      jobs: sortJobs(
        answer.jobs.map((job) =>
          scrapeJob(job, runs.get(logKey(job.logUrl)) ?? null, input.change, answer),
        ),
      ),
    };
  }
  if (stored !== null) return { ...stored, input: text.trim() };
  throw new GatewatchError(
    'CHANGE_NOT_FOUND',
    gerritServers.some((s) => s.rest !== null)
      ? `change ${input.change} is unknown to gatewatch and ${input.origin ?? 'the URL'} is not a configured Gerrit`
      : `change ${input.change} is unknown to gatewatch and no Gerrit is configured`,
  );
}

/** The configured server a change belongs to: the one of the URL's host, else the first with REST. */
function chooseServer(
  servers: readonly ResolveServer[],
  origin: string | null,
): ResolveServer | null {
  if (origin === null) return servers.find((s) => s.rest !== null) ?? servers[0] ?? null;
  const host = new URL(origin).host;
  return servers.find((s) => s.rest !== null && new URL(s.rest.url).host === host) ?? null;
}

async function fromDatabase(
  db: Database,
  input: ChangeInput,
  serverName: string | null,
): Promise<Omit<ChangeResolution, 'input'> | null> {
  const { knex } = db;
  const change:
    { id: number; subject: string | null; project: string; server: string } | undefined =
    await knex('gerrit_changes as c')
      .join('gerrit_projects as p', 'p.id', 'c.project_id')
      .join('gerrit_servers as s', 's.id', 'c.server_id')
      .where('c.number', input.change)
      .modify((query) => {
        if (serverName !== null) query.where('s.name', serverName);
      })
      .orderBy('c.updated_at', 'desc')
      .first('c.id', 'c.subject', 'p.name as project', 's.name as server');
  if (change === undefined) return null;
  const patchSet: { id: number; number: number } | undefined = await knex('gerrit_patch_sets as ps')
    .where('ps.change_id', change.id)
    .modify((query) => {
      if (input.patchSet !== null) query.where('ps.number', input.patchSet);
      else {
        query
          .whereExists(
            knex('ci_reports as r').whereRaw('r.patch_set_id = ps.id').select(knex.raw('1')),
          )
          .orderBy('ps.number', 'desc');
      }
    })
    .first('ps.id', 'ps.number');
  const resolution = {
    kind: 'change',
    source: 'database',
    server: change.server,
    change: input.change,
    patchSet: patchSet?.number ?? input.patchSet,
    project: change.project,
    subject: change.subject,
  };
  if (patchSet === undefined) return { ...resolution, jobs: [] };
  const rows: {
    job: string;
    log_url: string | null;
    result: string;
    run_id: number | null;
    pipeline: string | null;
    ci: string;
  }[] = await knex('ci_builds as b')
    .join('ci_reports as r', 'r.id', 'b.report_id')
    .join('ci_systems as cs', 'cs.id', 'r.ci_id')
    .join('gerrit_accounts as a', 'a.id', 'cs.account_id')
    .where('r.patch_set_id', patchSet.id)
    .whereNotNull('b.log_url')
    .orderBy([
      { column: 'r.created_at', order: 'desc' },
      { column: 'b.id', order: 'desc' },
    ])
    .limit(MAX_BUILDS)
    .select('b.job', 'b.log_url', 'b.result', 'b.run_id', 'r.pipeline', ciAccount(knex));
  const newest = new Map<string, (typeof rows)[number]>();
  for (const row of rows) {
    const key = `${row.ci}\n${row.job}`;
    if (!newest.has(key) && /^https?:\/\//i.test(row.log_url!)) newest.set(key, row);
  }
  const latest = [...newest.values()];
  const runs = await runsByLogKey(
    knex,
    latest.map((row) => logKey(row.log_url!)),
  );
  const jobs = latest.map((row) =>
    scrapeJob(
      {
        name: row.job,
        pipeline: row.pipeline,
        result: row.result,
        logUrl: row.log_url!,
        ci: row.ci,
      },
      row.run_id === null ? (runs.get(logKey(row.log_url!)) ?? null) : Number(row.run_id),
      input.change,
      { patchSet: patchSet.number, project: change.project },
    ),
  );
  return { ...resolution, jobs: sortJobs(jobs) };
}

/** A log URL: its layout, with what the collector stored for it (result, CI, change) when any. */
async function fromLogUrl(db: Database, text: string, input: LogInput): Promise<ChangeResolution> {
  const { knex } = db;
  const key = logKey(input.url);
  const build:
    | {
        result: string;
        run_id: number | null;
        pipeline: string | null;
        ci: string;
        change: number;
        patch_set: number;
        project: string;
        subject: string | null;
        server: string;
      }
    | undefined = await knex('ci_builds as b')
    .join('ci_reports as r', 'r.id', 'b.report_id')
    .join('ci_systems as cs', 'cs.id', 'r.ci_id')
    .join('gerrit_accounts as a', 'a.id', 'cs.account_id')
    .join('gerrit_patch_sets as ps', 'ps.id', 'r.patch_set_id')
    .join('gerrit_changes as c', 'c.id', 'ps.change_id')
    .join('gerrit_projects as p', 'p.id', 'c.project_id')
    .join('gerrit_servers as s', 's.id', 'c.server_id')
    .where('b.log_key', key)
    .orderBy('r.created_at', 'desc')
    .first(
      'b.result',
      'b.run_id',
      'r.pipeline',
      ciAccount(knex),
      'c.number as change',
      'ps.number as patch_set',
      'p.name as project',
      'c.subject',
      's.name as server',
    );
  const runs = await runsByLogKey(knex, [key]);
  const change = build ? Number(build.change) : input.change;
  const patchSet = build ? Number(build.patch_set) : input.patchSet;
  const project = build?.project ?? input.project;
  const runId = build?.run_id != null ? Number(build.run_id) : (runs.get(key) ?? null);
  return {
    input: text,
    kind: 'log-url',
    source: 'log-url',
    server: build?.server ?? null,
    change,
    patchSet,
    project,
    subject: build?.subject ?? null,
    jobs: [
      {
        name:
          input.job ?? new URL(input.url).pathname.split('/').filter(Boolean).at(-1) ?? input.url,
        pipeline: build?.pipeline ?? input.pipeline,
        result: build?.result ?? null,
        logUrl: input.url,
        ci: build?.ci ?? null,
        change,
        patchSet,
        project,
        runId,
      },
    ],
  };
}

/** The CI as Gerrit's REST API names it: its account's username (else its stored name). */
function ciAccount(knex: Database['knex']) {
  return knex.raw('coalesce(a.username, cs.name) as ci');
}

function scrapeJob(
  job: ReportedJob,
  runId: number | null,
  change: number,
  where: { patchSet: number | null; project: string | null },
): ScrapeJob {
  return {
    name: job.name,
    pipeline: job.pipeline,
    result: job.result,
    logUrl: job.logUrl,
    ci: job.ci,
    change,
    patchSet: where.patchSet,
    project: where.project,
    runId,
  };
}

/** By job name, then CI. */
function sortJobs(jobs: ScrapeJob[]): ScrapeJob[] {
  return jobs.sort(
    (a, b) => a.name.localeCompare(b.name) || (a.ci ?? '').localeCompare(b.ci ?? ''),
  );
}
