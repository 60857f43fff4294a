/**
 * Failures of the database itself, as the real drivers throw them, are DATABASE_UNAVAILABLE
 * (503), never an internal error: a MariaDB that is down or has no such database, a SQLite
 * file that cannot be opened or is not a database. A query's own mistake stays internal.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Libsql from 'libsql';
import { createConnection } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { classify, ErrorCode } from '../../server/graphql/errors.js';
import { backends } from '../helpers/databases.js';

/** What `use` throws (the test fails if it throws nothing). */
async function thrown(use: () => unknown): Promise<unknown> {
  try {
    await use();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

function sqliteQuery(path: string): void {
  const db = new Libsql(path);
  try {
    db.prepare('select name from sqlite_master').all();
  } finally {
    db.close();
  }
}

const unavailable = { code: ErrorCode.DATABASE_UNAVAILABLE, status: 503 };

describe('database failures', () => {
  it('of SQLite are DATABASE_UNAVAILABLE: a file that cannot be opened or is no database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatewatch-errors-'));
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'a text file, long enough to hold a database header and more\n');
    for (const path of ['/proc/gatewatch.db', notes]) {
      expect(classify(await thrown(() => sqliteQuery(path))), path).toMatchObject(unavailable);
    }
    // A query's own mistake is not the database's.
    const fine = join(dir, 'fine.db');
    const wrong = await thrown(() => {
      const db = new Libsql(fine);
      try {
        db.prepare('select nothing from nowhere').all();
      } finally {
        db.close();
      }
    });
    expect(classify(wrong).code).toBe(ErrorCode.INTERNAL_SERVER_ERROR);
  });

  it('of MariaDB are DATABASE_UNAVAILABLE: the server down, the database missing', async () => {
    const down = await thrown(() => createConnection({ host: '127.0.0.1', port: 1, user: 'root' }));
    expect(classify(down)).toMatchObject(unavailable);
    if (!backends.some((b) => b.name === 'mariadb')) return;
    const target = (await backends.find((b) => b.name === 'mariadb')!.create()).target;
    if (target.dialect !== 'mysql') throw new Error('not a MariaDB target');
    const missing = await thrown(() =>
      createConnection({
        host: target.host,
        port: target.port,
        user: target.user,
        password: target.password,
        database: target.dbName,
      }),
    );
    expect(classify(missing)).toMatchObject(unavailable);
  });
});
