/**
 * Gerrit's REST API as the collector uses it: the changes updated since a time, page by
 * page (`_more_changes`, `S=`), through the shared HTTP client.
 */
import { GatewatchError } from '../errors.js';
import { createHttpClient, type HttpClient } from '../http/client.js';
import type { ProjectFilter } from './projects.js';

export interface GerritRestOptions {
  /** The Gerrit base URL (`https://review.example.org`, a path prefix allowed). */
  readonly url: string;
  /** With a user, calls go to `/a/…` with basic auth (the account's HTTP password). */
  readonly user?: string | null;
  readonly password?: string | null;
  /** Changes asked per page (`n=`); a server may answer fewer. Default 100. */
  readonly pageSize?: number;
  /** The most changes one catch-up reads; more is an error naming the cap. Default 20,000. */
  readonly maxChanges?: number;
  /** The most pages one catch-up reads. Default 500. */
  readonly maxPages?: number;
  /** Default: a client of its own (basic auth when a user is given). */
  readonly http?: HttpClient;
}

export interface GerritRest {
  /** The base URL, as given. */
  readonly url: string;
  /**
   * Every change updated at or after `since` (in `projects` when given), newest first, as
   * Gerrit's ChangeInfo (`o=ALL_REVISIONS&o=ALL_COMMITS&o=MESSAGES&o=DETAILED_ACCOUNTS`).
   */
  changesUpdatedSince(since: Date, projects?: ProjectFilter): AsyncIterable<unknown>;
}

const OPTIONS = ['ALL_REVISIONS', 'ALL_COMMITS', 'MESSAGES', 'DETAILED_ACCOUNTS'];

export function createGerritRest(options: GerritRestOptions): GerritRest {
  const base = options.url.replace(/\/+$/, '');
  const user = options.user ?? null;
  const http =
    options.http ??
    createHttpClient(user === null ? {} : { auth: { user, password: options.password ?? '' } });
  const pageSize = options.pageSize ?? 100;
  const maxChanges = options.maxChanges ?? 20_000;
  const maxPages = options.maxPages ?? 500;
  const prefix = user === null ? '' : '/a';

  async function* changesUpdatedSince(
    since: Date,
    projects?: ProjectFilter,
  ): AsyncIterable<unknown> {
    const terms = [`since:"${gerritDate(since)}"`, projects?.queryTerm() ?? ''].filter(Boolean);
    let offset = 0;
    for (let page = 1; ; page++) {
      const params = new URLSearchParams({ q: terms.join(' ') });
      for (const option of OPTIONS) params.append('o', option);
      params.set('n', String(pageSize));
      if (offset > 0) params.set('S', String(offset));
      const url = `${base}${prefix}/changes/?${params}`;
      const body = await http.getJson(url);
      if (!Array.isArray(body)) {
        throw new GatewatchError('UPSTREAM_BAD_BODY', `GET ${url}: expected a list of changes`);
      }
      for (const change of body) yield change;
      offset += body.length;
      const last: unknown = body.at(-1);
      const more =
        typeof last === 'object' && last !== null && '_more_changes' in last && last._more_changes;
      if (!more || body.length === 0) return;
      if (offset >= maxChanges || page >= maxPages) {
        throw new GatewatchError(
          'UPSTREAM_TOO_LARGE',
          `${base}: more than ${offset} changes (${page} pages) updated since ` +
            `${gerritDate(since)}, past the cap of ${maxChanges} changes or ${maxPages} pages: ` +
            'narrow --since or --project',
        );
      }
    }
  }

  return { url: options.url, changesUpdatedSince };
}

/** `YYYY-MM-DD HH:MM:SS`, UTC (how Gerrit's `since:` reads a time without a zone). */
export function gerritDate(date: Date): string {
  return date.toISOString().replace('T', ' ').slice(0, 19);
}
