/**
 * The backends every storage test runs against: SQLite always; MariaDB at
 * $GATEWATCH_TEST_MYSQL (a server URL without a database, set by .ci/run), else the local
 * server at mysql://root@127.0.0.1:3306/. Under CI=true a missing MariaDB fails the run;
 * by hand it is skipped with a note.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { parseDbUrl, type DbTarget } from '../../server/config/config.js';

export interface Backend {
  name: 'sqlite' | 'mariadb';
  /** A fresh, empty database; `url` is what `--db` takes. */
  create(): Promise<{ url: string; target: DbTarget; drop(): Promise<void> }>;
}

const mysqlServer = (process.env.GATEWATCH_TEST_MYSQL ?? 'mysql://root@127.0.0.1:3306/').replace(
  /\/?$/,
  '/',
);

const sqlite: Backend = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'gatewatch-test-'));
    const url = `sqlite:${join(dir, 'test.db')}`;
    return {
      url,
      target: parseDbUrl(url),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

const mariadb: Backend = {
  name: 'mariadb',
  async create() {
    const name = `gw_test_${randomBytes(6).toString('hex')}`;
    const url = `${mysqlServer}${name}`;
    return {
      url,
      target: parseDbUrl(url),
      drop: () => withServer((c) => c.query(`drop database if exists \`${name}\``)),
    };
  },
};

async function withServer(
  use: (c: Awaited<ReturnType<typeof createConnection>>) => Promise<unknown>,
) {
  const server = parseDbUrl(`${mysqlServer}x`);
  if (server.dialect !== 'mysql') throw new Error(`GATEWATCH_TEST_MYSQL is not a mysql URL`);
  const connection = await createConnection({
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
  });
  try {
    await use(connection);
  } finally {
    await connection.end();
  }
}

async function mariadbReachable(): Promise<boolean> {
  try {
    await withServer((c) => c.query('select 1'));
    return true;
  } catch (error) {
    if (process.env.CI === 'true') {
      throw new Error(
        `CI: MariaDB at ${mysqlServer} is required and unreachable: ${String(error)}`,
      );
    }
    console.warn(`MariaDB at ${mysqlServer} unreachable; its tests are skipped: ${String(error)}`);
    return false;
  }
}

/** The backends to run against, decided once per test file. */
export const backends: Backend[] = (await mariadbReachable()) ? [sqlite, mariadb] : [sqlite];

/** The `--db` URL of a database (`describeDb` hides the password; commands need it). */
export function dbUrlOf(target: DbTarget): string {
  if (target.dialect === 'sqlite') return `sqlite:${target.path}`;
  const user = encodeURIComponent(target.user);
  const password = target.password === '' ? '' : `:${encodeURIComponent(target.password)}`;
  return `mysql://${user}${password}@${target.host}:${target.port}/${target.dbName}`;
}
