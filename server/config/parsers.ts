/** The parsers of setting values: each returns the value or throws `InvalidValue`. */
import { resolve } from 'node:path';

/** Where the data lives. */
export type DbTarget =
  | { readonly dialect: 'sqlite'; readonly path: string }
  | {
      readonly dialect: 'mysql';
      readonly host: string;
      readonly port: number;
      readonly user: string;
      readonly password: string;
      readonly dbName: string;
    };

/**
 * A value a parser refuses. `why` completes "the value is …" (`not a port 0…65535`); the
 * loader prefixes where the value came from.
 */
export class InvalidValue extends Error {
  constructor(readonly why: string) {
    super(why);
    this.name = 'InvalidValue';
  }
}

/**
 * Parses `sqlite:PATH`, `sqlite::memory:` or `mysql://user:pass@host:port/db` (`mariadb://`
 * is accepted as the same). A relative PATH is made absolute against the working directory
 * now, once: whatever later changes the directory, or reopens a connection, uses this file.
 */
export function dbTarget(url: string): DbTarget {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (path === '') throw badDb('it names no file (use sqlite:PATH or sqlite::memory:)');
    return { dialect: 'sqlite', path: path === ':memory:' ? path : resolve(path) };
  }
  if (/^(mysql|mariadb):\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw badDb('it is not a valid URL');
    }
    const dbName = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
    if (dbName === '' || dbName.includes('/')) throw badDb('it names no database (…/DBNAME)');
    return {
      dialect: 'mysql',
      host: parsed.hostname || '127.0.0.1',
      port: parsed.port === '' ? 3306 : Number(parsed.port),
      user: decodeURIComponent(parsed.username) || 'root',
      password: decodeURIComponent(parsed.password),
      dbName,
    };
  }
  throw badDb('expected sqlite:PATH, sqlite::memory: or mysql://user:pass@host:port/db');
}

function badDb(why: string): InvalidValue {
  return new InvalidValue(`not a database URL: ${why}`);
}

export function hidePassword(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/**
 * A server's public URL, `http(s)://host[:port][/path]` without a trailing slash (links are
 * made by appending `/path`); empty: unset.
 */
export function baseUrl(text: string): string | null {
  if (text === '') return null;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    // refused below
  }
  if (
    url === undefined ||
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.username !== '' ||
    url.password !== '' ||
    url.search !== '' ||
    url.hash !== ''
  ) {
    throw new InvalidValue('not a base URL: expected http(s)://host[:port][/path]');
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export function redisUrl(url: string): string | null {
  if (url === '') return null;
  let protocol = '';
  try {
    protocol = new URL(url).protocol;
  } catch {
    // refused below
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw new InvalidValue('not a Redis URL: expected redis://host:port or rediss://host:port');
  }
  return url;
}

export function port(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65535) throw new InvalidValue('not a port 0…65535');
  return Number(text);
}

export function count(text: string): number {
  if (!/^[1-9]\d*$/.test(text)) throw new InvalidValue('not a positive integer');
  return Number(text);
}

/** A Redis channel prefix: words, no spaces (a channel name is one token). */
/** A positive decimal number (`3.5`): thresholds. */
export function positiveNumber(text: string): number {
  if (!/^\d+(?:\.\d+)?$/.test(text.trim()) || Number(text) <= 0) {
    throw new InvalidValue('not a positive number');
  }
  return Number(text);
}

export function channelPrefix(text: string): string {
  if (!/^[\w.:-]+$/.test(text)) {
    throw new InvalidValue('not a channel prefix: letters, digits, . _ : - only');
  }
  return text;
}

export function nonEmpty(text: string): string {
  if (text.trim() === '') throw new InvalidValue('empty');
  return text;
}

export function flagValue(text: string): boolean {
  if (/^(1|true|yes|on)$/i.test(text)) return true;
  if (/^(0|false|no|off|)$/i.test(text)) return false;
  throw new InvalidValue('not a switch: expected 1/true/yes/on or 0/false/no/off');
}

const units: Record<string, number> = {
  '': 1,
  k: 1e3,
  ki: 1024,
  m: 1e6,
  mi: 1 << 20,
  g: 1e9,
  gi: 1 << 30,
};

export function size(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmg]i?)?b?$/i.exec(text.trim());
  const unit = match ? units[(match[2] ?? '').toLowerCase()] : undefined;
  if (!match || unit === undefined || Number(match[1]) * unit < 1) {
    throw new InvalidValue(
      'not a size: expected bytes, or a number with k, KiB, MB, MiB, GB or GiB',
    );
  }
  return Math.floor(Number(match[1]) * unit);
}

const durationUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `30s`, `500ms`, `2m`, `1h` (a bare number is seconds) into milliseconds. */
export function duration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/i.exec(text.trim());
  const ms = match ? Number(match[1]) * durationUnits[(match[2] ?? 's').toLowerCase()]! : 0;
  if (!match || ms < 1 || ms > 2 ** 31 - 1) {
    throw new InvalidValue('not a duration: expected seconds, or a number with ms, s, m or h');
  }
  return Math.round(ms);
}

const longDurationUnits: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * A period that may span days: `30s`, `5m`, `2h`, `1d`, `1w` (or `ms`) into milliseconds;
 * a unit is required.
 */
export function longDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|min|m|h|d|w)$/i.exec(text.trim());
  const unit = match ? longDurationUnits[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined || Number(match[1]) * unit < 1) {
    throw new InvalidValue('not a duration: expected a number with s, m, h, d or w (30s, 5m, 1d)');
  }
  return Math.round(Number(match[1]) * unit);
}

/** A {@link longDuration}, or `0`: off. */
export function longDurationOrOff(text: string): number {
  return text.trim() === '0' ? 0 : longDuration(text);
}

/** A {@link longDuration} a timer can wait (at most 24 days). */
export function timerDuration(text: string): number {
  const ms = longDuration(text);
  if (ms > 2 ** 31 - 1) throw new InvalidValue('too long a period: at most 24 days');
  return ms;
}

/** A {@link durationOrDate} as an instant: a duration counts back from `now`. */
export function sinceInstant(text: string, now: Date): Date {
  const since = durationOrDate(text);
  return typeof since === 'number' ? new Date(now.getTime() - since) : since;
}

/**
 * How far back history goes: a duration back from now (ms) or a date (`2026-11-30`,
 * `2026-11-30 12:00:00` UTC, or ISO 8601 with a zone).
 */
export function durationOrDate(text: string): number | Date {
  try {
    return longDuration(text);
  } catch {
    // a date, then
  }
  const trimmed = text.trim();
  const match =
    /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/.exec(
      trimmed,
    );
  const date = match
    ? new Date(`${match[1]}T${match[2] ?? '00:00:00'}${match[3] ?? 'Z'}`)
    : new Date(NaN);
  // Date rolls 2026-02-31 over to March: a day the calendar lacks is refused instead.
  const valid = !Number.isNaN(date.getTime());
  const realDay = valid && (match![3] !== undefined || date.toISOString().startsWith(match![1]!));
  if (!realDay) {
    throw new InvalidValue('neither a duration (1d, 12h) nor a date (2026-11-30[ 12:00:00])');
  }
  return date;
}

/** `ssh://USER@HOST[:PORT]`, returned as given. */
export function sshUrl(text: string): string {
  let parsed: URL | null = null;
  try {
    parsed = new URL(text);
  } catch {
    // refused below
  }
  const fine =
    parsed !== null &&
    parsed.protocol === 'ssh:' &&
    parsed.username !== '' &&
    parsed.password === '' &&
    parsed.hostname !== '' &&
    (parsed.pathname === '' || parsed.pathname === '/');
  if (!fine) {
    throw new InvalidValue(
      'not an SSH URL: expected ssh://USER@HOST[:PORT] (port 29418 by default; the key goes in --ssh-key)',
    );
  }
  return text;
}

/** An http(s) base URL, returned without its trailing slash. */
export function httpUrl(text: string): string {
  let protocol = '';
  let parsed: URL | null = null;
  try {
    parsed = new URL(text);
    protocol = parsed.protocol;
  } catch {
    // refused below
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new InvalidValue("not a URL: expected http(s)://HOST[/PATH] (Gerrit's base URL)");
  }
  if (parsed!.username !== '' || parsed!.password !== '') {
    throw new InvalidValue(
      'holds credentials: give the user with --rest-user and the password in GATEWATCH_GERRIT_HTTP_PASSWORD',
    );
  }
  return text.replace(/\/+$/, '');
}

/** A comma-separated list (flags may also repeat); empty items are dropped. */
export function list(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * Host names (or IP addresses) separated by commas, lower-cased, IPv6 without brackets: the
 * scraper's allow-list. A URL, a port or a path is refused: a listed host is allowed on any port.
 */
export function hostList(text: string): string[] {
  return list(text).map((item) => {
    const host = item.toLowerCase().replace(/^\[(.*)\]$/, '$1');
    const plain = /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?$/.test(host) || /^[0-9a-f:.]+$/.test(host);
    if (!plain || !host.replace(/\.$/, '')) {
      throw new InvalidValue(
        `${JSON.stringify(item)} is not a host name: expected HOST or an IP address (no scheme, port or path)`,
      );
    }
    return host.replace(/\.$/, '');
  });
}

/** A fraction from 0 to 1 (`0.3`). */
export function fraction(text: string): number {
  if (!/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/.test(text.trim())) {
    throw new InvalidValue('not a fraction: expected a number from 0 to 1 (0.3)');
  }
  return Number(text);
}

/** The scope kinds a test's verdicts are kept on. */
export const SCOPE_KINDS = ['job', 'project', 'branch', 'queue'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

/** A non-empty list of {@link SCOPE_KINDS}, each once. */
export function scopeKinds(text: string): ScopeKind[] {
  const kinds = list(text);
  const unknown = kinds.find((kind) => !(SCOPE_KINDS as readonly string[]).includes(kind));
  if (unknown !== undefined || kinds.length === 0) {
    throw new InvalidValue(
      `${unknown === undefined ? 'no scope' : JSON.stringify(unknown) + ' is not a scope'}: expected some of ${SCOPE_KINDS.join(', ')}`,
    );
  }
  return [...new Set(kinds)] as ScopeKind[];
}

/** The longest webhook URL (insight_deliveries.url). */
const WEBHOOK_URL_MAX = 2048;

/**
 * http(s) URLs separated by commas: the webhooks insights events are POSTed to. Anything
 * else (another scheme, a URL with spaces) is refused, naming the item.
 */
export function webhookUrls(text: string): string[] {
  return list(text).map((item) => {
    let parsed: URL | null = null;
    try {
      parsed = new URL(item);
    } catch {
      // refused below
    }
    if (parsed === null || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
      throw new InvalidValue(
        `${JSON.stringify(item)} is not a webhook URL: expected http(s)://HOST[:PORT][/PATH]`,
      );
    }
    if (parsed.href.length > WEBHOOK_URL_MAX) {
      throw new InvalidValue(
        `${JSON.stringify(item.slice(0, 64))}… is not a webhook URL: longer than ${WEBHOOK_URL_MAX} characters`,
      );
    }
    return parsed.href;
  });
}
