import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { MikroORM, type Options } from '@mikro-orm/core';
import type { Knex, SqlEntityManager } from '@mikro-orm/knex';
import { Migrator } from '@mikro-orm/migrations';
import { describeDb, type DbTarget } from '../config/config.js';
import { GatewatchError } from '../errors.js';
import { entities } from './entities/index.js';
import { mysqlMigrations } from './migrations/mysql/index.js';
import { sqliteMigrations } from './migrations/sqlite/index.js';

export type Dialect = DbTarget['dialect'];

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
}

/**
 * MikroORM options for a target; also used by the migration generator. Only the target's
 * driver is loaded: each costs a noticeable part of a command's start-up.
 */
export async function ormOptions(
  target: DbTarget,
  debug = false,
  readOnly = false,
): Promise<Options> {
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
    pool: { min: 0, max: 8 },
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
    orm = await MikroORM.init(await ormOptions(target, opts.debug, readOnly));
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
 * folders (refused when `readOnly`), and a file that is not a database leaves the driver's
 * native thread running after the failure, so that the process never exits.
 */
function checkSqliteFile(target: DbTarget, readOnly: boolean): void {
  if (target.dialect !== 'sqlite' || target.path === ':memory:') return;
  let size: number;
  try {
    const stat = statSync(target.path);
    if (!stat.isFile()) throw unavailable(target, 'not a file');
    size = stat.size;
  } catch (error) {
    if (error instanceof GatewatchError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !readOnly) return;
    throw unavailable(
      target,
      code === 'ENOENT'
        ? 'no such file (a command that only reads creates none: gatewatch migrate does)'
        : code === 'ENOTDIR'
          ? 'a folder of its path is a file'
          : error,
    );
  }
  if (size === 0) return;
  const head = Buffer.alloc(SQLITE_HEADER.length);
  let read: number;
  try {
    const fd = openSync(target.path, 'r');
    try {
      read = readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw unavailable(target, error);
  }
  if (read < head.length || !head.equals(SQLITE_HEADER)) {
    throw unavailable(target, 'not a SQLite database (it does not start with "SQLite format 3")');
  }
}

/** Names the database in connection and migration failures ("Access denied…" alone does not). */
function unavailable(target: DbTarget, error: unknown): GatewatchError {
  const why = error instanceof Error ? error.message : String(error);
  return new GatewatchError('DB_UNAVAILABLE', `cannot open ${describeDb(target)}: ${why}`);
}
