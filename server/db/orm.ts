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
}

/**
 * MikroORM options for a target; also used by the migration generator. Only the target's
 * driver is loaded: each costs a noticeable part of a command's start-up.
 */
export async function ormOptions(target: DbTarget, debug = false): Promise<Options> {
  const common = {
    entities,
    extensions: [Migrator],
    debug,
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
    pool: { min: 0, max: MYSQL_POOL_SIZE },
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
  let orm: MikroORM;
  try {
    orm = await MikroORM.init(await ormOptions(target, opts.debug));
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

/** Names the database in connection and migration failures ("Access denied…" alone does not). */
function unavailable(target: DbTarget, error: unknown): GatewatchError {
  const why = error instanceof Error ? error.message : String(error);
  return new GatewatchError('DB_UNAVAILABLE', `cannot open ${describeDb(target)}: ${why}`);
}
