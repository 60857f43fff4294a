/**
 * A database whose every connection stays taken answers DATABASE_BUSY once a request has
 * waited `GATEWATCH_DB_WAIT_TIMEOUT`, not DATABASE_UNAVAILABLE: it is there, only held by
 * others (a long query or write; SQLite has one connection). Through GraphQL on SQLite, whose
 * one connection a test can hold; on MariaDB from knex's own pool, whose one connection is held
 * (the server's pool of 8 is shared with its background work, so it cannot be held whole).
 */
import { knex, type Knex } from '@mikro-orm/knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify, ErrorCode } from '../../server/graphql/errors.js';
import { backends } from '../helpers/databases.js';
import { deferred } from '../helpers/deferred.js';
import { startServer, type TestServer } from '../helpers/server.js';

const busy = { code: ErrorCode.DATABASE_BUSY, message: 'the database is busy: try again' };

/** Runs `use` while a transaction of `db` holds a connection. */
async function holding(db: Knex, use: () => Promise<void>): Promise<void> {
  const release = deferred();
  const taken = deferred();
  const done = db.transaction(async (trx) => {
    await trx.raw('select 1');
    taken.resolve();
    await release.promise;
  });
  await taken.promise;
  try {
    await use();
  } finally {
    release.resolve();
    await done;
  }
}

describe('a busy database', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(backends[0]!, { GATEWATCH_DB_WAIT_TIMEOUT: '300ms' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('on SQLite answers DATABASE_BUSY while its connection is held, then answers again', async () => {
    expect(server.app.services.db.dialect).toBe('sqlite');
    await holding(server.app.services.db.knex, async () => {
      const { body } = await server.query('{ runs { totalCount } }');
      expect(body.errors).toEqual([
        expect.objectContaining({ message: busy.message, extensions: { code: busy.code } }),
      ]);
    });
    expect((await server.query('{ runs { totalCount } }')).body).toEqual({
      data: { runs: { totalCount: 0 } },
    });
  });

  it('on MariaDB is DATABASE_BUSY when the pool gives no connection in time', async () => {
    // Without MariaDB by hand, `backends` has noted it (under CI=true it fails instead).
    const mariadb = backends.find((b) => b.name === 'mariadb');
    if (!mariadb) return;
    const created = await mariadb.create();
    if (created.target.dialect !== 'mysql') throw new Error('not a MariaDB target');
    const { host, port, user, password } = created.target;
    const pool = knex({
      client: 'mysql2',
      connection: { host, port, user, password },
      pool: { min: 0, max: 1, acquireTimeoutMillis: 300 },
    });
    try {
      let error: unknown = null;
      await holding(pool, async () => {
        error = await pool.raw('select 2').then(
          () => null,
          (e: unknown) => e,
        );
      });
      expect(error).toBeInstanceOf(Error);
      expect(classify(error)).toMatchObject({ ...busy, status: 503 });
      expect(await pool.raw('select 3 as n')).toEqual([[{ n: 3 }], expect.anything()]);
    } finally {
      await pool.destroy();
      await created.drop();
    }
  });
});
