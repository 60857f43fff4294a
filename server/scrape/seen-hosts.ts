/**
 * The *seen* hosts of the host guard: the hosts of the log URLs the collector stored from CI
 * reports. Every `ci_builds` row belongs to a report of a CI system, and CI systems are the
 * configured CI accounts (or, with none configured, the accounts whose comments parse as
 * reports), so these are the log servers the configured CIs point at.
 */
import type { Database } from '../db/orm.js';
import { normalHost } from './guard.js';

/** The distinct hosts of stored log URLs, lower case. */
export async function seenHosts(db: Database): Promise<string[]> {
  // `scheme://host[:port]` cut in SQL, so that only one row per origin leaves the database.
  const origin =
    db.dialect === 'sqlite'
      ? `case when instr(substr(log_url, 9), '/') = 0 then log_url
          else substr(log_url, 1, instr(substr(log_url, 9), '/') + 7) end`
      : `substring_index(log_url, '/', 3)`;
  const rows: { origin: string }[] = await db
    .knex('ci_builds')
    .whereNotNull('log_url')
    .distinct(db.knex.raw(`${origin} as origin`));
  const hosts = new Set<string>();
  for (const { origin: text } of rows) {
    try {
      const url = new URL(text);
      if (url.protocol === 'http:' || url.protocol === 'https:')
        hosts.add(normalHost(url.hostname));
    } catch {
      // a relative `build/<id>` link or junk: no host
    }
  }
  return [...hosts].sort();
}

/** How long the seen hosts are reused before they are read again. */
const SEEN_HOSTS_MAX_AGE_MS = 60_000;

/**
 * The seen hosts, read at most once a minute (the read is a DISTINCT over every stored
 * build), and again at once when a task's own host is not among them: the collector may have
 * stored its build a moment ago.
 */
export function cachedSeenHosts(
  db: Database,
  now: () => number = Date.now,
): (url: string) => Promise<readonly string[]> {
  let hosts: string[] | null = null;
  let readAt = 0;
  return async (url) => {
    const host = hostOf(url);
    const stale = now() - readAt > SEEN_HOSTS_MAX_AGE_MS;
    if (hosts === null || stale || (host !== null && !hosts.includes(host))) {
      hosts = await seenHosts(db);
      readAt = now();
    }
    return hosts;
  };
}

function hostOf(url: string): string | null {
  try {
    return normalHost(new URL(url).hostname);
  } catch {
    return null;
  }
}
