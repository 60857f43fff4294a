/**
 * One collector per Gerrit server across every instance sharing a database: a lease row per
 * server (`gerrit_leases`), taken when free or expired and renewed by its holder. An instance
 * that dies stops renewing; another takes the lease once it expires. Times are the instances'
 * clocks (kept in step by NTP on any real deployment): the expiry leaves a margin for that.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Database } from '../db/orm.js';

export interface LeaseOptions {
  /** How long a lease lasts without renewal (ms). */
  readonly ttlMs: number;
  /** How often the holder renews and the others try (ms); well under `ttlMs`. */
  readonly renewMs: number;
}

/** Takeover within 30 s of the holder's death: expiry 20 s, tries every 5 s. */
export const defaultLease: LeaseOptions = { ttlMs: 20_000, renewMs: 5_000 };

/** Names this process in the lease table, so an operator can tell who collects. */
export function holderName(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * Tries to take or renew the lease; true when `holder` holds it until now + ttl. A single
 * conditional UPDATE decides, so two contenders can never both win.
 */
export async function tryLease(
  db: Database,
  server: string,
  holder: string,
  ttlMs: number,
  now = new Date(),
): Promise<boolean> {
  const expiresAt = new Date(now.getTime() + ttlMs);
  await db
    .knex('gerrit_leases')
    .insert({ server, holder: '', expires_at: new Date(0) })
    .onConflict('server')
    .ignore();
  const updated = await db
    .knex('gerrit_leases')
    .where({ server })
    .andWhere((q) => q.where({ holder }).orWhere('expires_at', '<', now))
    .update({ holder, expires_at: expiresAt });
  return updated === 1;
}

/** Gives the lease up at once (a clean stop), so the next instance need not wait for expiry. */
export async function releaseLease(db: Database, server: string, holder: string): Promise<void> {
  await db
    .knex('gerrit_leases')
    .where({ server, holder })
    .update({ expires_at: new Date(0) });
}

export interface LeaseHolder {
  /** Resolves when stopped; `onAcquired` runs each time the lease is won, `onLost` when lost. */
  stop(): Promise<void>;
}

/**
 * Keeps trying for the lease; runs `onAcquired` when won and `onLost` when a renewal fails
 * (the database unreachable, or another holder took it after a pause of this process).
 */
export function holdLease(
  db: Database,
  server: string,
  handlers: {
    onAcquired(): Promise<void>;
    onLost(reason: string): Promise<void>;
    /** A handler failed; the lease is kept trying, never given up silently. */
    onError(error: unknown): void;
  },
  options: LeaseOptions = defaultLease,
  holder = holderName(),
): LeaseHolder {
  let held = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const step = async () => {
    let won: boolean;
    let reason = 'another instance holds it';
    try {
      won = await tryLease(db, server, holder, options.ttlMs);
    } catch (error) {
      won = false;
      reason = `the database did not answer: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (stopped) return;
    if (won && !held) {
      held = true;
      await handlers.onAcquired();
    } else if (!won && held) {
      held = false;
      await handlers.onLost(reason);
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = step().catch(handlers.onError).finally(schedule);
    }, options.renewMs);
  };
  running = step().catch(handlers.onError).finally(schedule);

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      if (held) {
        held = false;
        await handlers.onLost('stopping').catch(handlers.onError);
        await releaseLease(db, server, holder).catch(handlers.onError);
      }
    },
  };
}
