/** Small pieces the Gerrit store's statements share: chunked `IN` selects, times, limits. */
import type { Knex } from '@mikro-orm/knex';
import type { Dialect } from '../db/orm.js';
import { timeParam } from '../db/sql.js';
import type { GerritAccount } from './events.js';

/** Values per `IN (…)` list: far under either dialect's placeholder limit. */
const CHUNK = 500;

/**
 * The rows of `table` whose `column` is among `values`, `scope` (column = value pairs) holding,
 * in as few statements as the chunking allows.
 */
export async function selectIn<R>(
  knex: Knex,
  table: string,
  columns: readonly string[],
  column: string,
  values: readonly (string | number)[],
  scope: Record<string, string | number> = {},
): Promise<R[]> {
  const unique = [...new Set(values)];
  const rows: R[] = [];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const found = (await knex(table)
      .select(...columns)
      .where(scope)
      .whereIn(column, unique.slice(i, i + CHUNK))) as R[];
    rows.push(...found);
  }
  return rows;
}

/** An event time (epoch seconds, maybe fractional) as a Date of whole seconds (MySQL's precision). */
export function eventDate(seconds: number): Date {
  return new Date(Math.floor(seconds) * 1000);
}

/** A Date as a bound value for either dialect. */
export function bindTime(dialect: Dialect, date: Date | null): number | Date | null {
  return date === null ? null : timeParam(dialect, date);
}

/** `text` cut to `max` characters (column widths), null kept. */
export function cut(text: string | null | undefined, max: number): string | null {
  if (text === undefined || text === null) return null;
  return text.length > max ? text.slice(0, max) : text;
}

/** Messages are kept up to this many UTF-8 bytes (the rest is cut at a character boundary). */
export const MAX_MESSAGE_BYTES = 64 * 1024;

export function cutMessage(message: string): string {
  if (message.length * 3 <= MAX_MESSAGE_BYTES) return message;
  const bytes = Buffer.from(message, 'utf8');
  if (bytes.length <= MAX_MESSAGE_BYTES) return message;
  // Dropping the last (possibly partial) character keeps valid UTF-8.
  return bytes
    .subarray(0, MAX_MESSAGE_BYTES)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
}

/**
 * How an account is known in `gerrit_accounts.key`: its username, else `email:…`, `id:…` or
 * `name:…` (old servers send no username); `unknown` when Gerrit sent nothing of it.
 */
export function accountKey(account: GerritAccount | undefined): string {
  if (account?.username) return cut(account.username, 255)!;
  if (account?.email) return cut(`email:${account.email}`, 255)!;
  if (account?.accountId !== undefined) return `id:${account.accountId}`;
  if (account?.name) return cut(`name:${account.name}`, 255)!;
  return 'unknown';
}

/** What the store knows of its server. */
export interface StoreScope {
  readonly serverId: number;
  /** The configured CI accounts (keys); empty: any account whose comment parses as a report. */
  readonly cis: ReadonlySet<string>;
  readonly upstream: string | null;
}
