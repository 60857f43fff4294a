/**
 * A durable queue in a table, shared by every instance on one database: rows `queued` (due
 * from `not_before`) are claimed by one holder under a lease (`holder`, `lease_until`), and a
 * `running` row whose lease expired (its process died) is claimed again. On MySQL several
 * instances claim with `FOR UPDATE SKIP LOCKED`; on SQLite the same statements run in its
 * single writer's transaction. Either way the claim's UPDATE repeats its condition, so a row
 * is never claimed twice. The scrape tasks and the webhook deliveries are such queues.
 */
import type { Knex } from '@mikro-orm/knex';
import type { Database } from './orm.js';

/** A queue table: its rows have `id`, `state`, `not_before`, `holder`, `lease_until`, `attempts`, `updated_at`. */
export interface LeasedTable {
  readonly table: string;
}

/** Queued rows that are due, and running ones whose holder stopped renewing. */
function claimable(q: Knex.QueryBuilder, now: Date): Knex.QueryBuilder {
  return q.where((w) =>
    w
      .where((a) => a.where('state', 'queued').andWhere('not_before', '<=', now))
      .orWhere((b) => b.where('state', 'running').andWhere('lease_until', '<', now)),
  );
}

/**
 * Takes the oldest claimable row of `queue` for `holder` until now + `leaseMs`, counting an
 * attempt and writing `reset` (what an interrupted attempt left); its id, or null when there
 * is none.
 */
export async function claimNext(
  db: Database,
  queue: LeasedTable,
  holder: string,
  leaseMs: number,
  reset: Record<string, unknown> = {},
  now = new Date(),
): Promise<number | null> {
  return db.knex.transaction(async (trx) => {
    let pick = claimable(trx(queue.table).select('id'), now).orderBy('id').limit(1);
    // Another instance's claim in progress holds its row: take the next one, do not wait.
    if (db.dialect === 'mysql') pick = pick.forUpdate().skipLocked();
    const row: { id: number } | undefined = await pick.first();
    if (!row) return null;
    const updated = await claimable(trx(queue.table).where('id', row.id), now).update({
      ...reset,
      state: 'running',
      holder,
      lease_until: new Date(now.getTime() + leaseMs),
      attempts: trx.raw('?? + 1', ['attempts']),
      updated_at: now,
    });
    return updated === 1 ? Number(row.id) : null;
  });
}

/**
 * Writes `changes` to a row `holder` runs; false (nothing written) once it lost the lease.
 */
export async function writeHeld(
  db: Database,
  queue: LeasedTable,
  id: number,
  holder: string,
  changes: Record<string, unknown>,
): Promise<boolean> {
  const updated = await db
    .knex(queue.table)
    .where({ id, holder, state: 'running' })
    .update({ ...changes, updated_at: new Date() });
  return updated === 1;
}

/** What ends a hold: the row is nobody's. */
export const RELEASED = { holder: null, lease_until: null } as const;
