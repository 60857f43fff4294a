/**
 * The collector lease on a real database: one holder at a time, renewal, release, and a
 * takeover once a dead holder's lease expires.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/orm.js';
import { toDate } from '../../server/db/sql.js';
import { holdLease, releaseLease, tryLease } from '../../server/gerrit/lease.js';
import { backends } from '../helpers/databases.js';

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(backends)('the collector lease on $name', (backend) => {
  let db: Database;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const handle = await backend.create();
    drop = handle.drop;
    db = await openDatabase(handle.target);
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  it('is held by one contender at a time, renewed by its holder and free once released', async () => {
    const now = new Date();
    expect(await tryLease(db, 'review-a', 'one', 20_000, now)).toBe(true);
    expect(await tryLease(db, 'review-a', 'two', 20_000, now)).toBe(false);
    expect(await tryLease(db, 'review-a', 'one', 20_000, now)).toBe(true);
    // Another server's lease is its own.
    expect(await tryLease(db, 'review-b', 'two', 20_000, now)).toBe(true);
    // Expired: the next contender wins.
    const later = new Date(now.getTime() + 20_001);
    expect(await tryLease(db, 'review-a', 'two', 20_000, later)).toBe(true);
    expect(await tryLease(db, 'review-a', 'one', 20_000, later)).toBe(false);
    await releaseLease(db, 'review-a', 'two');
    expect(await tryLease(db, 'review-a', 'one', 20_000, later)).toBe(true);
  });

  it("is taken over once a dead holder's lease expires, and given up on stop", async () => {
    // The dead holder took it once and never renewed it. (MariaDB keeps whole seconds.)
    expect(await tryLease(db, 'review-c', 'dead', 2000)).toBe(true);
    const events: string[] = [];
    const started = Date.now();
    const holder = holdLease(
      db,
      'review-c',
      {
        onAcquired: async () => {
          events.push('acquired');
        },
        onLost: async (reason) => {
          events.push(`lost: ${reason}`);
        },
        onError: (error) => events.push(`error: ${String(error)}`),
      },
      { ttlMs: 2000, renewMs: 100 },
      'alive',
    );
    await until(() => events.includes('acquired'), 'the takeover');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    // Renewed while held, past the first term: the dead holder cannot come back.
    const acquiredAt = Date.now();
    let renewed = false;
    while (!renewed) {
      const row: { expires_at: unknown } = await db
        .knex('gerrit_leases')
        .where({ server: 'review-c' })
        .first('expires_at');
      renewed = toDate(row.expires_at).getTime() > acquiredAt + 2500;
      if (!renewed) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await tryLease(db, 'review-c', 'dead', 2000)).toBe(false);
    await holder.stop();
    expect(events).toEqual(['acquired', 'lost: stopping']);
    expect(await tryLease(db, 'review-c', 'next', 2000)).toBe(true);
  });
});
