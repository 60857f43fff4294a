import { closeSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { MikroORM, type Options } from '@mikro-orm/core';
import type { Knex, SqlEntityManager } from '@mikro-orm/knex';
import { Migrator } from '@mikro-orm/migrations';
import { describeDb, type DbTarget } from '../config/config.js';
import { GatewatchError } from '../errors.js';
import { entities } from './entities/index.js';
import { mysqlMigrations } from './migrations/mysql/index.js';
import { sqliteMigrations } from './migrations/sqlite/index.js';

export type Dialect = DbTarget['dialect'];

/** Connections in the MySQL pool: what concurrent ingests, reads and writes share. */
export const MYSQL_POOL_SIZE = 8;

/** An open database: the ORM for reads, knex for bulk writes. */
export interface Database {
  readonly orm: MikroORM;
  readonly dialect: Dialect;
  readonly knex: Knex;
  /** A fresh EntityManager: one per unit of work, never shared across requests. */
  em(): SqlEntityManager;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  debug?: boolean;
  /**
   * Open only a database that exists: never create its file, its directories or (MariaDB)
   * the database itself. Commands that only read open so (`CommandSpec.readOnly`); one that
   * is missing is `DB_UNAVAILABLE`. Pending migrations of an existing one still apply.
   */
  readOnly?: boolean;
  /** How long a query waits for a connection before knex gives up (setting `database.waitTimeout`). */
  waitTimeoutMs?: number;
}

/**
 * MikroORM options for a target; also used by the migration generator. Only the target's
 * driver is loaded: each costs a noticeable part of a command's start-up.
 */
export async function ormOptions(
  target: DbTarget,
  debug = false,
  readOnly = false,
  waitTimeoutMs?: number,
): Promise<Options> {
  const wait = waitTimeoutMs === undefined ? {} : { acquireTimeoutMillis: waitTimeoutMs };
  const common = {
    entities,
    extensions: [Migrator],
    debug,
    ensureDatabase: !readOnly,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    discovery: { warnWhenNoEntities: true },
  } satisfies Options;
  if (target.dialect === 'sqlite') {
    const { LibSqlDriver } = await import('@mikro-orm/libsql');
    return {
      ...common,
      driver: LibSqlDriver,
      dbName: target.path,
      pool: wait,
      migrations: {
        migrationsList: sqliteMigrations,
        silent: true,
        snapshot: false,
        transactional: true,
      },
    };
  }
  const { MySqlDriver } = await import('@mikro-orm/mysql');
  return {
    ...common,
    driver: MySqlDriver,
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    dbName: target.dbName,
    charset: 'utf8mb4',
    // Text compares byte by byte, case-sensitively, as on SQLite: `Gate-Nova` is not `gate-nova`.
    collate: 'utf8mb4_bin',
    pool: { min: 0, max: MYSQL_POOL_SIZE, ...wait },
    // MySQL commits DDL implicitly: a migration cannot be one transaction there.
    migrations: {
      migrationsList: mysqlMigrations,
      silent: true,
      snapshot: false,
      transactional: false,
    },
  };
}

/** Opens (and by default migrates) the database; the caller owns `close()`. */
export async function openDatabase(target: DbTarget, opts: OpenOptions = {}): Promise<Database> {
  const readOnly = opts.readOnly === true;
  checkSqliteFile(target, readOnly);
  let orm: MikroORM;
  try {
    orm = await MikroORM.init(await ormOptions(target, opts.debug, readOnly, opts.waitTimeoutMs));
  } catch (error) {
    throw unavailable(target, error);
  }
  try {
    const root = orm.em as SqlEntityManager;
    const knex = root.getKnex();
    if (target.dialect === 'sqlite') {
      // WAL lets readers work during an ingest; NORMAL is durable enough with WAL.
      if (target.path !== ':memory:') await knex.raw('PRAGMA journal_mode = WAL');
      await knex.raw('PRAGMA synchronous = NORMAL');
      await knex.raw('PRAGMA foreign_keys = ON');
    } else if (readOnly) {
      // Fails when the database does not exist; the migrator would create it.
      await knex.raw('select 1');
    } else {
      await orm.schema.ensureDatabase();
    }
    if (opts.migrate !== false) await orm.migrator.up();
    return {
      orm,
      dialect: target.dialect,
      knex,
      em: () => root.fork(),
      close: () => orm.close(true),
    };
  } catch (error) {
    await orm.close(true);
    throw unavailable(target, error);
  }
}

/** What every SQLite database file starts with. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0');

/**
 * Checks a SQLite file before the driver opens it: opening a missing one creates it and its
 * folders (refused when `readOnly`), and after failing on a file that is not a database the
 * process never exits (libsql 0.5 keeps it alive).
 */
function checkSqliteFile(target: DbTarget, readOnly: boolean): void {
  if (target.dialect !== 'sqlite' || target.path === ':memory:') return;
  const problem = sqliteFileProblem(target.path, readOnly);
  if (problem !== null) throw unavailable(target, problem);
}

/** Why the file at `path` cannot be opened as a database (a reason or an error), or null. */
function sqliteFileProblem(path: string, readOnly: boolean): unknown {
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      return readOnly
        ? 'no such file (a command that only reads creates none: gatewatch migrate does)'
        : null;
    }
    return code === 'ENOTDIR' ? 'a folder of its path is a file' : error;
  }
  if (!stat.isFile()) return 'not a file';
  // An empty file is an empty database to SQLite.
  if (stat.size === 0) return null;
  const head = Buffer.alloc(SQLITE_HEADER.length);
  try {
    const fd = openSync(path, 'r');
    try {
      readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return error;
  }
  return head.equals(SQLITE_HEADER)
    ? null
    : 'not a SQLite database (it does not start with "SQLite format 3")';
}

/** Names the database in connection and migration failures ("Access denied…" alone does not). */
function unavailable(target: DbTarget, error: unknown): GatewatchError {
  const why = error instanceof Error ? error.message : String(error);
  return new GatewatchError('DB_UNAVAILABLE', `cannot open ${describeDb(target)}: ${why}`);
}
