import { GatewatchError } from './errors.js';

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

/** What `gatewatch serve` needs besides the database. */
export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  /** Largest accepted upload body (`POST /api/runs`), bytes. */
  readonly maxUploadBytes: number;
  /** Deepest selection a query may nest. */
  readonly maxQueryDepth: number;
  /** Largest estimated cost of a query (see server/graphql/limits.ts). */
  readonly maxQueryCost: number;
  /** Most aliased fields in a query, fragments expanded. */
  readonly maxQueryAliases: number;
  /** Most fields a query selects, fragments expanded. */
  readonly maxQueryFields: number;
  /** Most lexical tokens in a query document: bounds parsing and validation. */
  readonly maxQueryTokens: number;
  /** Largest WebSocket message, bytes. */
  readonly maxWsMessageBytes: number;
  /** Operations in flight on one WebSocket. */
  readonly maxSubscriptions: number;
  /** Open WebSockets from one client address. */
  readonly maxSocketsPerAddress: number;
  /** Development mode: errors carry stack traces. */
  readonly dev: boolean;
}

/** The event bus: Redis pub/sub when `url` is set, else in-process. */
export interface RedisConfig {
  /** `redis://…` or `rediss://…`; null keeps events inside this process. */
  readonly url: string | null;
  /** Starts every channel name, so that deployments sharing one Redis never hear each other. */
  readonly prefix: string;
}

export interface Config {
  readonly db: DbTarget;
  readonly server: ServerConfig;
  readonly redis: RedisConfig;
}

/** Flags that override the environment. */
export interface ConfigFlags {
  db?: string;
  port?: string;
  host?: string;
  maxUpload?: string;
  redis?: string;
}

export const DEFAULT_DB_URL = 'sqlite:gatewatch.db';
export const DEFAULT_PORT = 4000;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_MAX_UPLOAD = '512MiB';
export const DEFAULT_REDIS_PREFIX = 'gatewatch';

/**
 * Parses `sqlite:PATH`, `sqlite::memory:` or `mysql://user:pass@host:port/db` (`mariadb://`
 * is accepted as the same).
 */
export function parseDbUrl(url: string): DbTarget {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (path === '') throw badDb(url, 'it names no file (use sqlite:PATH or sqlite::memory:)');
    return { dialect: 'sqlite', path };
  }
  if (/^(mysql|mariadb):\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw badDb(url, 'it is not a valid URL');
    }
    const dbName = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
    if (dbName === '' || dbName.includes('/')) throw badDb(url, 'it names no database (…/DBNAME)');
    const port = parsed.port === '' ? 3306 : Number(parsed.port);
    return {
      dialect: 'mysql',
      host: parsed.hostname || '127.0.0.1',
      port,
      user: decodeURIComponent(parsed.username) || 'root',
      password: decodeURIComponent(parsed.password),
      dbName,
    };
  }
  throw badDb(url, 'expected sqlite:PATH, sqlite::memory: or mysql://user:pass@host:port/db');
}

/** A URL for display: the password is never shown. */
export function describeDb(target: DbTarget): string {
  return target.dialect === 'sqlite'
    ? `sqlite:${target.path}`
    : `mysql://${target.user}@${target.host}:${target.port}/${target.dbName}`;
}

/** Reads the environment and flags once, validated; nothing else reads `process.env`. */
export function loadConfig(flags: ConfigFlags, env: NodeJS.ProcessEnv = process.env): Config {
  const url = flags.db ?? env.GATEWATCH_DB ?? DEFAULT_DB_URL;
  const server: ServerConfig = {
    port: parsePort(flags.port ?? env.GATEWATCH_PORT ?? String(DEFAULT_PORT)),
    host: flags.host ?? env.GATEWATCH_HOST ?? DEFAULT_HOST,
    maxUploadBytes: parseSize(flags.maxUpload ?? env.GATEWATCH_MAX_UPLOAD ?? DEFAULT_MAX_UPLOAD),
    maxQueryDepth: parseCount('GATEWATCH_MAX_QUERY_DEPTH', env.GATEWATCH_MAX_QUERY_DEPTH ?? '12'),
    maxQueryCost: parseCount('GATEWATCH_MAX_QUERY_COST', env.GATEWATCH_MAX_QUERY_COST ?? '50000'),
    maxQueryAliases: parseCount(
      'GATEWATCH_MAX_QUERY_ALIASES',
      env.GATEWATCH_MAX_QUERY_ALIASES ?? '100',
    ),
    maxQueryFields: parseCount(
      'GATEWATCH_MAX_QUERY_FIELDS',
      env.GATEWATCH_MAX_QUERY_FIELDS ?? '1000',
    ),
    maxQueryTokens: parseCount(
      'GATEWATCH_MAX_QUERY_TOKENS',
      env.GATEWATCH_MAX_QUERY_TOKENS ?? '10000',
    ),
    maxWsMessageBytes: parseSize(env.GATEWATCH_MAX_WS_MESSAGE ?? '1MiB'),
    maxSubscriptions: parseCount(
      'GATEWATCH_MAX_SUBSCRIPTIONS',
      env.GATEWATCH_MAX_SUBSCRIPTIONS ?? '100',
    ),
    maxSocketsPerAddress: parseCount(
      'GATEWATCH_MAX_SOCKETS_PER_ADDRESS',
      env.GATEWATCH_MAX_SOCKETS_PER_ADDRESS ?? '100',
    ),
    dev: env.GATEWATCH_DEV === '1' || env.NODE_ENV === 'development',
  };
  const redis: RedisConfig = {
    url: parseRedisUrl(flags.redis ?? env.GATEWATCH_REDIS ?? null),
    prefix: parseRedisPrefix(env.GATEWATCH_REDIS_PREFIX ?? DEFAULT_REDIS_PREFIX),
  };
  return Object.freeze({
    db: parseDbUrl(url),
    server: Object.freeze(server),
    redis: Object.freeze(redis),
  });
}

/** A URL for display: the password is never shown. */
export function hidePassword(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/** Where `gatewatch ingest --server` uploads runs, and the token it sends. */
export interface UploadTarget {
  /** The server's base URL, without a trailing slash. */
  readonly url: string;
  readonly token: string;
}

/** Validates `--server` and finds the token: `--token`, else `$GATEWATCH_TOKEN`. */
export function loadUploadTarget(
  flags: { server: string; token?: string },
  env: NodeJS.ProcessEnv = process.env,
): UploadTarget {
  let protocol = '';
  try {
    protocol = new URL(flags.server).protocol;
  } catch {
    // reported below
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new GatewatchError(
      'BAD_CONFIG',
      `bad server URL "${flags.server}": expected http(s)://host:port of a gatewatch server`,
    );
  }
  const token = flags.token ?? env.GATEWATCH_TOKEN ?? '';
  if (token === '') {
    throw new GatewatchError(
      'BAD_CONFIG',
      'uploading needs a token: --token TOKEN or $GATEWATCH_TOKEN (made with gatewatch token create NAME)',
    );
  }
  return Object.freeze({ url: flags.server.replace(/\/+$/, ''), token });
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    throw new GatewatchError('BAD_CONFIG', `bad port "${text}": expected 0…65535`);
  }
  return port;
}

function parseCount(name: string, text: string): number {
  if (!/^[1-9]\d*$/.test(text)) {
    throw new GatewatchError('BAD_CONFIG', `bad ${name} "${text}": expected a positive integer`);
  }
  return Number(text);
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

/** `1048576`, `100MiB`, `2G`… into bytes. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmg]i?)?b?$/i.exec(text.trim());
  const unit = match ? units[(match[2] ?? '').toLowerCase()] : undefined;
  if (!match || unit === undefined || Number(match[1]) * unit < 1) {
    throw new GatewatchError(
      'BAD_CONFIG',
      `bad size "${text}": expected bytes, or a number with k, KiB, MB, MiB, GB or GiB`,
    );
  }
  return Math.floor(Number(match[1]) * unit);
}

function badDb(url: string, why: string): GatewatchError {
  return new GatewatchError('BAD_CONFIG', `bad database URL "${hidePassword(url)}": ${why}`);
}

function parseRedisUrl(url: string | null): string | null {
  if (url === null || url === '') return null;
  let protocol = '';
  try {
    protocol = new URL(url).protocol;
  } catch {
    // reported below
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw new GatewatchError(
      'BAD_CONFIG',
      `bad Redis URL "${hidePassword(url)}" (--redis, GATEWATCH_REDIS): expected redis://host:port or rediss://host:port`,
    );
  }
  return url;
}

function parseRedisPrefix(prefix: string): string {
  if (!/^\S+$/.test(prefix)) {
    throw new GatewatchError(
      'BAD_CONFIG',
      `bad GATEWATCH_REDIS_PREFIX "${prefix}": expected a word without spaces, such as gatewatch`,
    );
  }
  return prefix;
}
