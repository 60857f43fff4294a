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

export interface Config {
  readonly db: DbTarget;
}

/** Flags that override the environment. */
export interface ConfigFlags {
  db?: string;
}

export const DEFAULT_DB_URL = 'sqlite:gatewatch.db';

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
  return Object.freeze({ db: parseDbUrl(url) });
}

function badDb(url: string, why: string): GatewatchError {
  const shown = url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  return new GatewatchError('BAD_CONFIG', `bad database URL "${shown}": ${why}`);
}
