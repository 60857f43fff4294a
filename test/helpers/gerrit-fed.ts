/**
 * A real server collecting from the Gerrit stand-in (its stream and REST), for the dashboard's
 * CI pages: events emitted on the stand-in reach the store and the live subscriptions as they
 * would from a Gerrit. And what a test expects of those events, derived from the raw events
 * themselves by the README's definitions, never by asking the server.
 */
import { startCollection } from '../../server/gerrit/collection.js';
import { loadGerritServers } from '../../server/gerrit/options.js';
import type { Backend } from './databases.js';
import { startGerritStandin, type GerritStandin, type RawEvent } from './gerrit-standin.js';
import { startServer, type TestServer } from './server.js';

export interface FedServer {
  readonly server: TestServer;
  readonly standin: GerritStandin;
  /** Rows in a table of the server's database (to wait for the collector, not to assert). */
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * A server over a fresh database of `backend`, collecting from a fresh stand-in with `upstream`
 * as the upstream CI and a catch-up from `since` (a date: tests' histories lie in the past).
 * Resolves once the stream is open: what is emitted from then on is streamed.
 */
export async function startFedServer(
  backend: Backend,
  { upstream, since }: { upstream: string; since: string },
): Promise<FedServer> {
  const standin = await startGerritStandin();
  let server: TestServer | undefined;
  try {
    server = await startServer(backend);
    const servers = loadGerritServers(
      {
        ssh: standin.sshUrl,
        sshKey: standin.clientKey,
        knownHosts: standin.knownHosts,
        rest: standin.restUrl,
        since,
        upstream,
      },
      {},
    );
    await startCollection(server.app.runtime, servers, () => {});
    await standin.waitForStreams(1);
  } catch (error) {
    await server?.close();
    await standin.close();
    throw error;
  }
  const fed = server;
  return {
    server: fed,
    standin,
    async count(table) {
      const row = (await fed.app.services.db.knex(table).count('* as n').first()) as { n: unknown };
      return Number(row.n);
    },
    async close() {
      await fed.close();
      await standin.close();
    },
  };
}

/** Polls `check` every 20 ms until it holds (never a fixed sleep); fails after `ms`. */
export async function until(
  check: () => Promise<boolean> | boolean,
  what: string,
  ms = 60_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface RawAccountLike {
  username?: string;
  name?: string;
}
interface RawLike {
  type: string;
  eventCreatedOn: number;
  change?: { project: string; number: number; subject?: string; owner?: RawAccountLike };
  patchSet?: { number: number; createdOn: number };
  author?: RawAccountLike;
  comment?: string;
  approvals?: { type: string; value: string }[];
  refUpdate?: { project: string };
}

const raw = (event: RawEvent) => event as unknown as RawLike;

/** A CI report as the raw events tell it: a CI account's comment carrying a Verified vote. */
export interface RawReport {
  readonly ci: string;
  readonly project: string;
  readonly change: number;
  readonly patchSet: number;
  readonly atMs: number;
  readonly vote: number;
  /** From the comment's header: `Build succeeded` / `Build Successful` or not. */
  readonly verdict: 'SUCCESS' | 'FAILURE';
  /** Each job line's log URL and result, in order. */
  readonly jobs: readonly { readonly url: string; readonly result: string }[];
}

/** The reports of `cis` (account usernames) in the events, in stream order. */
export function reportsOf(events: readonly RawEvent[], cis: readonly string[]): RawReport[] {
  return events.map(raw).flatMap((e) => {
    const verified = e.approvals?.find((a) => a.type === 'Verified');
    const ci = e.author?.username;
    if (e.type !== 'comment-added' || !verified || !ci || !cis.includes(ci)) return [];
    const body = e.comment ?? '';
    const jobs = body
      .split('\n')
      .map((line) => /(https?:\/\/\S+) : ([A-Z_]+)/.exec(line))
      .flatMap((m) => (m ? [{ url: m[1]!, result: m[2]! }] : []));
    return [
      {
        ci,
        project: e.change!.project,
        change: e.change!.number,
        patchSet: e.patchSet!.number,
        atMs: e.eventCreatedOn * 1000,
        vote: Number(verified.value),
        verdict: /Build (succeeded|Successful)/.test(body) ? 'SUCCESS' : 'FAILURE',
        jobs,
      },
    ];
  });
}

/** A patch set as the raw events tell it, with when the next one of its change came. */
export interface RawPatchSet {
  readonly project: string;
  readonly change: number;
  readonly patchSet: number;
  readonly createdMs: number;
  readonly subject: string;
  readonly owner: string;
  readonly supersededMs: number | null;
}

export function patchSetsOf(events: readonly RawEvent[]): RawPatchSet[] {
  const created = events.map(raw).filter((e) => e.type === 'patchset-created');
  return created.map((e) => {
    const next = created.find(
      (o) => o.change!.number === e.change!.number && o.patchSet!.number === e.patchSet!.number + 1,
    );
    return {
      project: e.change!.project,
      change: e.change!.number,
      patchSet: e.patchSet!.number,
      createdMs: e.patchSet!.createdOn * 1000,
      subject: e.change!.subject ?? '',
      owner: e.change!.owner?.name ?? e.change!.owner?.username ?? '',
      supersededMs: next ? next.patchSet!.createdOn * 1000 : null,
    };
  });
}

/** The project an event names (a ref update names it in `refUpdate`). */
export function projectOf(event: RawEvent): string | null {
  const e = raw(event);
  return e.change?.project ?? e.refUpdate?.project ?? null;
}

/** Who acted, by username, as `gerritEvents` names it; null for the types not stored. */
export function actorOf(event: RawEvent): string | null {
  const e = event as Record<string, RawAccountLike | undefined> & { type: string };
  const key = {
    'comment-added': 'author',
    'patchset-created': 'uploader',
    'change-merged': 'submitter',
    'change-abandoned': 'abandoner',
    'change-restored': 'restorer',
  }[e.type];
  return key === undefined ? null : (e[key]?.username ?? null);
}
